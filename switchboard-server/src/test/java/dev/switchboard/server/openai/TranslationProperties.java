package dev.switchboard.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.provider.anthropic.AnthropicMapper;
import dev.switchboard.provider.openai.OpenAiMapper;
import dev.switchboard.server.anthropic.MessagesRequests;
import dev.switchboard.server.anthropic.MessagesWire;
import dev.switchboard.server.http.BodyParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Translations as invariants, over generated agent requests: what a client sends in OpenAI's format reaches an
 * OpenAI upstream unchanged, and what travels through Anthropic's format and back keeps every tool, call, result
 * and image.
 */
class TranslationProperties {

    @Provide
    Arbitrary<ObjectNode> openAiBodies() {
        return GeneratedRequests.bodies(new GeneratedRequests.Shape(true, true));
    }

    @Provide
    Arbitrary<ObjectNode> portableBodies() {
        return GeneratedRequests.bodies(new GeneratedRequests.Shape(false, false));
    }

    /** OpenAI → canonical → OpenAI is the identity: field for field, extras and spellings included. */
    @Property(tries = 400)
    void anOpenAiUpstreamGetsExactlyWhatTheClientSent(@ForAll("openAiBodies") ObjectNode body) {
        ChatRequest canonical = ChatRequests.toCanonical(parse(body, ChatWire.Request.class), null);

        JsonNode upstream = tree(Json.bytes(OpenAiMapper.toWire(canonical, canonical.model(), false)));

        assertThat(upstream).isEqualTo(tree(Json.bytes(body)));
    }

    /**
     * OpenAI → canonical → Anthropic wire → canonical (as the Anthropic door reads it) → OpenAI keeps every tool
     * definition, tool call (id, name, arguments as a JSON value), tool result, text and image (bytes or URL), in order.
     */
    @Property(tries = 400)
    void throughAnthropicAndBackNothingOfTheConversationIsLost(@ForAll("portableBodies") ObjectNode body) {
        ChatRequest canonical = ChatRequests.toCanonical(parse(body, ChatWire.Request.class), null);
        byte[] anthropic = Json.bytes(AnthropicMapper.toWire(canonical, "claude-sonnet-4-5", 1024, false));
        ChatRequest read = MessagesRequests.toCanonical(parse(tree(anthropic), MessagesWire.Request.class), null);

        JsonNode back = tree(Json.bytes(OpenAiMapper.toWire(read, "gpt-4o", false)));

        assertThat(transcript(back)).isEqualTo(transcript(body));
        assertThat(back.path("tools")).isEqualTo(body.path("tools"));
        assertThat(choice(back)).isEqualTo(choice(body));
        for (String f : List.of("temperature", "top_p", "stop", "user")) {
            assertThat(back.path(f)).as(f).isEqualTo(body.path(f));
        }
        assertThat(back.path("max_tokens").asInt(1024)).isEqualTo(body.path("max_tokens").asInt(1024));
    }

    /** The conversation as a list of events, each text, image, call and result with what identifies it. */
    private static List<String> transcript(JsonNode body) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            String role = m.path("role").asText();
            JsonNode content = m.path("content");
            if (role.equals("tool")) {
                out.add("result " + m.path("tool_call_id").asText() + ": " + content.asText());
                continue;
            }
            if (content.isTextual() && !content.asText().isEmpty()) {
                out.add(role + " text: " + content.asText());
            }
            for (JsonNode part : content.isArray() ? content : List.<JsonNode>of()) {
                if (part.path("type").asText().equals("image_url")) {
                    out.add(role + " image: " + part.at("/image_url/url").asText());
                } else if (!part.path("text").asText().isEmpty()) {
                    out.add(role + " text: " + part.path("text").asText());
                }
            }
            for (JsonNode call : m.path("tool_calls")) {
                out.add("call " + call.path("id").asText() + " " + call.at("/function/name").asText() + " "
                        + tree(call.at("/function/arguments").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    /**
     * The tool choice, with Anthropic's one way of saying "parallel calls allowed" (not saying anything) folded in;
     * with {@code none} no call is made, so whether calls could be parallel means nothing. No choice is {@code auto}.
     */
    private static String choice(JsonNode body) {
        JsonNode choice = body.path("tool_choice").isMissingNode() ? com.fasterxml.jackson.databind.node.TextNode.valueOf("auto")
                : body.path("tool_choice");
        boolean none = choice.asText().equals("none");
        return choice + (none ? "" : " parallel=" + body.path("parallel_tool_calls").asBoolean(true));
    }

    private static <T> T parse(JsonNode body, Class<T> type) {
        return BodyParser.parse(Json.bytes(body), type);
    }

    private static JsonNode tree(byte[] json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
