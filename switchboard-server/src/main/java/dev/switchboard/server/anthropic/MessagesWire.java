package dev.switchboard.server.anthropic;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What clients send to Switchboard's Anthropic Messages door ({@code POST /v1/messages}): Anthropic's request shape,
 * as the official SDKs write it. Content blocks stay JSON trees, read by {@link MessagesRequests}; fields Switchboard
 * does not name ({@code thinking}, {@code service_tier}, …) are kept in {@code extras} for Anthropic upstreams.
 */
public final class MessagesWire {
    private MessagesWire() {}

    public record Request(
            String model,
            Integer maxTokens,
            List<InMessage> messages,
            JsonNode system,
            Double temperature,
            Double topP,
            Integer topK,
            List<String> stopSequences,
            Boolean stream,
            List<JsonNode> tools,
            JsonNode toolChoice,
            JsonNode metadata,
            @JsonAnySetter Map<String, JsonNode> extras) {}

    /** {@code content} is a string or an array of content blocks. */
    public record InMessage(String role, JsonNode content) {}
}
