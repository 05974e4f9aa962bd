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

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
