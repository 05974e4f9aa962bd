package dev.switchboard.bench;

import java.nio.charset.StandardCharsets;

/** The bytes the benchmarks send and the canned upstream answers. */
final class Payloads {
    private Payloads() {}

    /**
     * The client's request: byte for byte the default body of the loopback load harness
     * ({@code shared/bench/run-bench.sh}), so the JMH numbers and the load numbers describe the same request.
     */
    static final String CHAT_REQUEST = "{\"model\":\"gpt-4o-mini\",\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are a concise assistant for a software engineering team. "
            + "Answer in plain English, at most three sentences.\"},"
            + "{\"role\":\"user\",\"content\":\"In two sentences, explain what an LLM gateway does and why a team "
            + "would put one in front of its model providers.\"}],"
            + "\"temperature\":0.2,\"max_tokens\":256,\"user\":\"bench-client-1\"}";

    /** What a real OpenAI upstream answers to such a request: one choice, usage with token details. */
    static final String CHAT_COMPLETION = "{"
            + "\"id\":\"chatcmpl-BENCH7f3c2a91d4e5b6a0c8\","
            + "\"object\":\"chat.completion\","
            + "\"created\":1767225600,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"An LLM gateway is a single service between applications and model providers that handles "
            + "routing, authentication, retries, fallbacks, rate limits and usage accounting behind one API. "
            + "Teams use one so that switching or mixing providers, enforcing budgets and observing every "
            + "request happens in one place instead of in each application.\","
            + "\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":52,\"completion_tokens\":61,\"total_tokens\":113,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
            + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
            + "\"service_tier\":\"default\","
            + "\"system_fingerprint\":\"fp_bench0001\"}";

    /** The answer to {@code GET /v1/models}, used only by health probes. */
    static final String MODEL_LIST = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\","
            + "\"created\":1721172741,\"owned_by\":\"system\"}]}";

    /** An OpenAI-shaped error, for anything but a JSON object POSTed to chat/completions or a GET of models. */
    static final String BAD_REQUEST = "{\"error\":{\"message\":\"the benchmark upstream serves only a JSON object "
            + "POSTed to /chat/completions and GET /models\","
            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}";

    /** The gateway configuration: one OpenAI-compatible endpoint that never sees a socket (see {@link CannedTransport}). */
    static final String GATEWAY_YAML = """
            model_management:
              default_provider: custom_api
              providers:
                custom_api:
                  custom_providers:
                    mock:
                      api_type: openai
                      base_url: http://127.0.0.1:1/v1
                      models: [gpt-4o-mini]
            """;

    /**
     * An agent's request: the default system and user text, with a 100 KB image as a data URL in the user turn and
     * ten function tools whose parameters are JSON Schemas of five properties each (what an agent framework sends
     * for a handful of typed tools).
     */
    static String toolsAndImageRequest() {
        com.fasterxml.jackson.databind.node.ObjectNode req = dev.switchboard.json.Json.mapper().createObjectNode();
        req.put("model", "gpt-4o-mini").put("temperature", 0.2).put("max_tokens", 256).put("user", "bench-client-1");
        com.fasterxml.jackson.databind.node.ArrayNode messages = req.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are a concise assistant for a software engineering "
                + "team. Answer in plain English, at most three sentences.");
        com.fasterxml.jackson.databind.node.ObjectNode user = messages.addObject().put("role", "user");
        com.fasterxml.jackson.databind.node.ArrayNode parts = user.putArray("content");
        parts.addObject().put("type", "text").put("text", "What does this architecture diagram show? Use the tools if needed.");
        byte[] image = new byte[75 * 1024]; // 100 KB once base64-encoded
        new java.util.Random(42).nextBytes(image);
        parts.addObject().put("type", "image_url").putObject("image_url")
                .put("url", "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(image)).put("detail", "high");
        com.fasterxml.jackson.databind.node.ArrayNode tools = req.putArray("tools");
        for (int i = 0; i < 10; i++) {
            com.fasterxml.jackson.databind.node.ObjectNode fn = tools.addObject().put("type", "function").putObject("function")
                    .put("name", "tool_" + i).put("description", "Looks up fact number " + i + " about the diagram's components.");
            com.fasterxml.jackson.databind.node.ObjectNode schema = fn.putObject("parameters").put("type", "object");
            com.fasterxml.jackson.databind.node.ObjectNode props = schema.putObject("properties");
            props.putObject("component").put("type", "string").put("description", "the component's name");
            props.putObject("depth").put("type", "integer").put("minimum", 0).put("maximum", 5);
            props.putObject("include_edges").put("type", "boolean");
            props.putObject("format").put("type", "string").putArray("enum").add("short").add("long");
            props.putObject("tags").put("type", "array").putObject("items").put("type", "string");
            schema.putArray("required").add("component");
            schema.put("additionalProperties", false);
        }
        req.put("tool_choice", "auto");
        return req.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
