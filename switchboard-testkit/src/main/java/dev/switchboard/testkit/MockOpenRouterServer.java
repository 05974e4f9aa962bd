package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local OpenRouter over real HTTP under {@code /api/v1}: chat is {@link MockOpenAiServer}'s OpenAI dialect (SSE,
 * keep-alive comments and mid-stream errors as scripted {@link Fault}s) with OpenRouter's usage ({@code cost} in
 * USD, priced from the catalog); {@code GET /models} answers OpenRouter's catalog entries (prices as strings, USD per
 * token); {@code GET /key} describes the caller's key; every error is {@code {"error":{"code":int,"message","metadata"}}}.
 */
public final class MockOpenRouterServer implements AutoCloseable {
    public static final String API = "/api/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockOpenAiServer upstream;
    private final String apiKey;
    private final List<ObjectNode> catalog = new CopyOnWriteArrayList<>();
    private final MockOpenRouterAccounts accounts = new MockOpenRouterAccounts();
    private volatile Fault catalogFailure;
    private volatile boolean keyEndpoint = true;

    private MockOpenRouterServer(String apiKey, List<ObjectNode> entries) {
        this.apiKey = apiKey;
        this.catalog.addAll(entries);
        String[] ids = entries.stream().map(e -> e.path("id").asText()).toArray(String[]::new);
        this.upstream = MockOpenAiServer.start(apiKey, ids)
                .withApiPrefix(API)
                .withErrorShape((status, message, type, code) -> errorJson(status,
                        status == 401 ? "User not found." : message, null))
                .withUsage(this::priceUsage)
                .route("GET", API + "/models", this::models)
                .route("GET", API + "/key", ex -> {
                    if (keyEndpoint) {
                        key(ex);
                    } else {
                        send(ex, 404, JSON.writeValueAsBytes(errorJson(404, "Not Found", null)));
                    }
                })
                .route("GET", API + "/auth/key", this::key)
                .route("POST", API + "/auth/keys", this::exchange);
        if (apiKey != null) {
            accounts.add(apiKey, new MockOpenRouterAccounts.Account(label(apiKey), 0.25, null, null, null));
        }
    }

    /**
     * Another account's key, accepted for chat and described by {@code /key} (a user's own key).
     * {@code limitRemaining} null: no spending limit.
     */
    public MockOpenRouterServer userKey(String key, String label, Double limitRemaining, String creatorUserId) {
        accounts.add(key, new MockOpenRouterAccounts.Account(label, 1.5, limitRemaining == null ? null : 10.0,
                limitRemaining, creatorUserId));
        upstream.acceptKey(key);
        return this;
    }

    /** Revokes a user's key: chat and {@code /key} answer 401 to it from now on. */
    public MockOpenRouterServer revokeKey(String key) {
        accounts.remove(key);
        upstream.forgetKey(key);
        return this;
    }

    /** As an older OpenRouter-compatible server: {@code GET /key} is 404, only {@code GET /auth/key} answers. */
    public MockOpenRouterServer withoutKeyEndpoint() {
        keyEndpoint = false;
        return this;
    }

    /**
     * What OpenRouter's sign-in page does when the user approves: reads the challenge and its method from
     * {@code authUrl} (the {@code /auth?callback_url=…&code_challenge=…} address the sign-in began with) and answers
     * the code the user is sent back with; exchanging it, with the right verifier, gives the user {@code newKey}.
     */
    public String approveSignIn(String authUrl, String newKey, String label, String userId) {
        java.net.URI uri = java.net.URI.create(authUrl);
        if (!uri.getPath().equals("/auth")) {
            throw new IllegalArgumentException("not an OpenRouter sign-in address: " + authUrl);
        }
        Map<String, String> q = new java.util.HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        if (q.get("callback_url") == null || q.get("code_challenge") == null) {
            throw new IllegalArgumentException("the sign-in address lacks callback_url or code_challenge: " + authUrl);
        }
        upstream.acceptKey(newKey);
        return accounts.approve(q.get("code_challenge"), q.getOrDefault("code_challenge_method", "plain"), newKey,
                new MockOpenRouterAccounts.Account(label, 0.0, 5.0, 5.0, userId));
    }

    private static String label(String key) {
        return key.length() > 12 ? key.substring(0, 11) + "..." + key.substring(key.length() - 3) : "key";
    }

    /** @param apiKey the key chat and {@code /key} require (the catalog is public, as on OpenRouter); null: any */
    public static MockOpenRouterServer start(String apiKey, ObjectNode... entries) {
        return new MockOpenRouterServer(apiKey, Arrays.asList(entries));
    }

    /**
     * A catalog entry with every field OpenRouter's {@code /models} has: a text model priced {@code prompt} and
     * {@code completion} (strings, USD per token) that supports the basic sampling parameters. Tests adjust the
     * returned node for anything else.
     */
    public static ObjectNode model(String id, String prompt, String completion) {
        ObjectNode m = JSON.createObjectNode().put("id", id).put("canonical_slug", id.replace(":free", "") + "-20250101")
                .put("hugging_face_id", "").put("name", "Mock: " + id).put("created", 1_735_689_600L)
                .put("description", "A mock model called " + id + ".").put("context_length", 131_072);
        ObjectNode arch = m.putObject("architecture").put("modality", "text->text");
        arch.putArray("input_modalities").add("text");
        arch.putArray("output_modalities").add("text");
        arch.put("tokenizer", "Llama3").putNull("instruct_type");
        m.putObject("pricing").put("prompt", prompt).put("completion", completion).put("request", "0").put("image", "0")
                .put("web_search", "0").put("internal_reasoning", "0");
        m.putObject("top_provider").put("context_length", 131_072).put("max_completion_tokens", 8192).put("is_moderated", false);
        m.putNull("per_request_limits");
        m.putArray("supported_parameters").add("max_tokens").add("temperature").add("top_p").add("stop");
        m.putObject("default_parameters");
        return m;
    }

    /** An OpenRouter error answer: {@code code} is the HTTP status, as OpenRouter sends it. */
    public static Fault error(int code, String message, ObjectNode metadata, Map<String, String> headers) {
        return Fault.status(code, errorJson(code, message, metadata).toString(), headers);
    }

    /** A mid-stream error chunk as OpenRouter sends it after a 200: an {@code error} field and finish_reason "error". */
    public static Fault midStreamError(int afterChunks, Object code, String message) {
        ObjectNode chunk = JSON.createObjectNode().put("id", "gen-mock-err").put("object", "chat.completion.chunk")
                .put("created", 1_735_689_600L).put("model", "mock").put("provider", "MockProvider");
        ObjectNode err = chunk.putObject("error").put("message", message);
        if (code instanceof Number n) {
            err.put("code", n.intValue());
        } else {
            err.put("code", String.valueOf(code));
        }
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").put("content", "");
        choice.put("finish_reason", "error");
        return Fault.midStreamError(afterChunks, chunk.toString());
    }

    static ObjectNode errorJson(int code, String message, ObjectNode metadata) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode e = body.putObject("error").put("code", code).put("message", message);
        if (metadata != null) {
            e.set("metadata", metadata);
        }
        return body;
    }

    /** {@code http://127.0.0.1:PORT/api/v1}, what {@code base_url} is set to. */
    public String baseUrl() {
        return upstream.baseUrl() + API;
    }

    public int port() {
        return upstream.port();
    }

    /** Makes {@code GET /models} answer {@code status} with an OpenRouter error until {@link #serveCatalog()}. */
    public MockOpenRouterServer failCatalog(int status, String message) {
        catalogFailure = error(status, message, null, Map.of());
        return this;
    }

    public MockOpenRouterServer serveCatalog() {
        catalogFailure = null;
        return this;
    }

    /** Changes what {@code GET /models} lists (chat still knows only the models the mock started with). */
    public MockOpenRouterServer replaceCatalog(ObjectNode... entries) {
        catalog.clear();
        catalog.addAll(Arrays.asList(entries));
        return this;
    }

    public MockOpenRouterServer replyWith(Function<String, String> f) {
        upstream.replyWith(f);
        return this;
    }

    /** Scripts chat answers, as {@link MockOpenAiServer#respond} does. */
    public MockOpenRouterServer respond(Function<MockAsk, MockReply> f) {
        upstream.respond(f);
        return this;
    }

    public MockOpenRouterServer enqueue(Fault fault) {
        upstream.enqueue(fault);
        return this;
    }

    public List<MockOpenAiServer.Recorded> requests() {
        return upstream.requests();
    }

    public List<MockOpenAiServer.Recorded> chatRequests() {
        return upstream.chatRequests();
    }

    public long catalogRequests() {
        return upstream.requests().stream().filter(r -> r.path().equals(API + "/models")).count();
    }

    public void reset() {
        upstream.reset();
        catalogFailure = null;
    }

    @Override
    public void close() {
        upstream.close();
    }

    private void models(HttpExchange ex) throws IOException {
        Fault failure = catalogFailure;
        if (failure != null) {
            send(ex, failure.status(), failure.body().getBytes(StandardCharsets.UTF_8));
            return;
        }
        ObjectNode list = JSON.createObjectNode();
        ArrayNode data = list.putArray("data");
        catalog.forEach(data::add);
        send(ex, 200, JSON.writeValueAsBytes(list));
    }

    private void key(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
            send(ex, 401, JSON.writeValueAsBytes(errorJson(401, "No auth credentials found", null)));
            return;
        }
        String key = auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : "";
        ObjectNode described = apiKey == null && accounts.find(key) == null
                ? accountFor(key) : accounts.describe(key);
        if (described == null) {
            send(ex, 401, JSON.writeValueAsBytes(errorJson(401, "User not found.", null)));
            return;
        }
        send(ex, 200, JSON.writeValueAsBytes(described));
    }

    /** Without a configured key any key is accepted, and described as a plain one. */
    private ObjectNode accountFor(String key) {
        accounts.add(key, new MockOpenRouterAccounts.Account(label(key), 0.25, null, null, null));
        return accounts.describe(key);
    }

    private void exchange(HttpExchange ex) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree((String) ex.getAttribute(MockOpenAiServer.BODY));
        } catch (IOException e) {
            send(ex, 400, JSON.writeValueAsBytes(errorJson(400, "Invalid JSON", null)));
            return;
        }
        Map.Entry<Integer, ObjectNode> answer = accounts.exchange(body == null ? JSON.createObjectNode() : body);
        send(ex, answer.getKey(), JSON.writeValueAsBytes(answer.getValue()));
    }

    /** OpenRouter reports what the call cost: tokens times the catalog's per-token prices. */
    private void priceUsage(String model, ObjectNode usage) {
        BigDecimal cost = BigDecimal.ZERO;
        for (ObjectNode entry : catalog) {
            if (entry.path("id").asText().equals(model)) {
                JsonNode pricing = entry.path("pricing");
                try {
                    cost = new BigDecimal(pricing.path("prompt").asText("0")).multiply(BigDecimal.valueOf(usage.path("prompt_tokens").asLong()))
                            .add(new BigDecimal(pricing.path("completion").asText("0"))
                                    .multiply(BigDecimal.valueOf(usage.path("completion_tokens").asLong())));
                } catch (NumberFormatException e) {
                    cost = BigDecimal.ZERO;
                }
            }
        }
        usage.put("cost", cost.max(BigDecimal.ZERO).doubleValue()).put("is_byok", false);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }
}
