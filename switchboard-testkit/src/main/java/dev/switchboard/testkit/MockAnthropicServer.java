package dev.switchboard.testkit;

import static dev.switchboard.testkit.AnthropicEvents.errorBody;
import static dev.switchboard.testkit.MockHttp.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.MockOpenAiServer.Recorded;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A local Anthropic Messages API over real HTTP: {@code GET /v1/models} (paged with {@code limit} and
 * {@code after_id}) and {@code POST /v1/messages} (JSON, or SSE with named events from message_start to
 * message_stop). It checks what the real API checks: {@code x-api-key}, {@code anthropic-version}, a required
 * {@code max_tokens}, only user/assistant roles, alternating turns starting with the user, non-empty text, a
 * temperature of at most 1, valid content blocks, tools and tool choices, and tool uses answered by tool results in
 * the very next turn ({@link AnthropicRequestRules}); and it answers with Anthropic's error shape. Tests script
 * answers (text, tool uses, refusals) with {@link #respond(Function)}. Faults from {@link #enqueue(Fault)} each
 * answer one messages request; {@link Fault#afterChunks()} counts text deltas.
 */
public final class MockAnthropicServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VERSIONS = List.of("2023-06-01", "2023-01-01");

    private final HttpServer server;
    private final String apiKey;
    private final List<String> models;
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Function<String, List<String>> reply = prompt -> List.of("echo: " + prompt);
    private volatile Function<MockAsk, MockReply> respond;
    private volatile MockAsk lastAsk;
    private volatile String thinking;
    private volatile boolean modelsEndpoint = true;
    private volatile int pageSize = 1000;

    private MockAnthropicServer(String apiKey, List<String> models) throws IOException {
        this.apiKey = apiKey;
        this.models = List.copyOf(models);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** @param apiKey the {@code x-api-key} callers must send, or null to accept any caller */
    public static MockAnthropicServer start(String apiKey, String... models) {
        try {
            return new MockAnthropicServer(apiKey, List.of(models));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mock Anthropic server", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, without {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * The answer as a function of the last user turn's text. Default {@code "echo: " + prompt}. It drops a
     * {@link #respond} function, so tests that reset with it start plain.
     */
    public MockAnthropicServer replyWith(Function<String, String> f) {
        this.reply = p -> List.of(f.apply(p));
        this.respond = null;
        return this;
    }

    /** The answer as several text content blocks (drops a {@link #respond} function too). */
    public MockAnthropicServer replyWithBlocks(Function<String, List<String>> f) {
        this.reply = f;
        this.respond = null;
        return this;
    }

    /**
     * Scripts the answers: text, {@code tool_use} blocks (after the text, {@code stop_reason: tool_use}) or a
     * refusal ({@code stop_reason: refusal}, no content). When {@code f} answers null, or without a respond function,
     * a forced tool choice ({@code tool}, or {@code any}: the first tool) is called with input its
     * {@code input_schema} accepts, and otherwise the {@link #replyWith} text is the answer. Null turns scripting off.
     */
    public MockAnthropicServer respond(Function<MockAsk, MockReply> f) {
        this.respond = f;
        return this;
    }

    /** What the latest valid messages request asked, as {@link #respond} functions see it; null before the first. */
    public MockAsk lastAsk() {
        return lastAsk;
    }

    /** Puts an extended-thinking block with this text before the answer (null: none). */
    public MockAnthropicServer withThinking(String text) {
        this.thinking = text;
        return this;
    }

    /** Makes {@code GET /v1/models} answer 404, as some Anthropic-compatible servers do. */
    public MockAnthropicServer withoutModelsEndpoint() {
        this.modelsEndpoint = false;
        return this;
    }

    /** Caps a models page below what the caller asks for, so paging with {@code after_id} is exercised. */
    public MockAnthropicServer pageSize(int n) {
        this.pageSize = n;
        return this;
    }

    public MockAnthropicServer enqueue(Fault fault) {
        faults.add(fault);
        return this;
    }

    /** An HTTP error with Anthropic's body: {@code {"type":"error","error":{"type","message"},"request_id"}}. */
    public static Fault error(int status, String type, String message, Map<String, String> headers) {
        return Fault.status(status, errorBody(type, message), headers);
    }

    /** The 529 the API answers when it is overloaded for everyone. */
    public static Fault overloaded() {
        return error(529, "overloaded_error", "Overloaded", Map.of());
    }

    /** An {@code event: error} after {@code afterDeltas} text deltas of a 200 stream. */
    public static Fault errorEvent(int afterDeltas, String type, String message) {
        return Fault.midStreamError(afterDeltas, JSON.createObjectNode().put("type", "error")
                .set("error", JSON.createObjectNode().put("type", type).put("message", message)).toString());
    }

    public List<Recorded> requests() {
        return Collections.unmodifiableList(requests);
    }

    public List<Recorded> messageRequests() {
        return requests.stream().filter(r -> r.path().equals("/v1/messages")).toList();
    }

    public void reset() {
        faults.clear();
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Recorded request = MockHttp.read(ex);
            requests.add(request);
            String path = request.path();
            Map<String, String> headers = request.headers();
            ex.getResponseHeaders().set("request-id", "req_mock"); // on every answer; a stream sets its own

            String key = headers.get("x-api-key");
            if (apiKey != null && key == null) {
                error(ex, 401, "authentication_error", "x-api-key header is required");
            } else if (apiKey != null && !apiKey.equals(key)) {
                error(ex, 401, "authentication_error", "invalid x-api-key");
            } else if (!headers.containsKey("anthropic-version")) {
                error(ex, 400, "invalid_request_error", "anthropic-version: header is required");
            } else if (!VERSIONS.contains(headers.get("anthropic-version"))) {
                error(ex, 400, "invalid_request_error", "anthropic-version: \"" + headers.get("anthropic-version") + "\" is not a valid version");
            } else if (path.equals("/v1/models") && ex.getRequestMethod().equals("GET")) {
                listModels(ex, query(ex.getRequestURI().getRawQuery()));
            } else if (path.equals("/v1/messages") && ex.getRequestMethod().equals("POST")) {
                messages(ex, request.body(), headers.containsKey("anthropic-beta"));
            } else {
                error(ex, 404, "not_found_error", "Not Found");
            }
        }
    }

    private void listModels(HttpExchange ex, Map<String, String> query) throws IOException {
        if (!modelsEndpoint) {
            error(ex, 404, "not_found_error", "Not Found");
            return;
        }
        int limit = Math.min(pageSize, Math.clamp(Integer.parseInt(query.getOrDefault("limit", "20")), 1, 1000));
        int from = 0;
        if (query.containsKey("after_id")) {
            from = models.indexOf(query.get("after_id")) + 1;
            if (from == 0) {
                error(ex, 400, "invalid_request_error", "after_id: no model with id " + query.get("after_id"));
                return;
            }
        }
        List<String> page = models.subList(Math.min(from, models.size()), Math.min(from + limit, models.size()));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < page.size(); i++) {
            data.addObject().put("type", "model").put("id", page.get(i)).put("display_name", "Mock " + page.get(i))
                    .put("created_at", "2025-0" + (1 + (from + i) % 9) + "-15T00:00:00Z");
        }
        out.put("has_more", from + page.size() < models.size());
        out.put("first_id", page.isEmpty() ? null : page.getFirst());
        out.put("last_id", page.isEmpty() ? null : page.getLast());
        send(ex, 200, "application/json", JSON.writeValueAsBytes(out), Map.of());
    }

    private void messages(HttpExchange ex, String body, boolean beta) throws IOException {
        JsonNode req;
        try {
            req = JSON.readTree(body);
        } catch (IOException e) {
            error(ex, 400, "invalid_request_error", "There was an error parsing the body of your request. Please send valid JSON.");
            return;
        }
        String invalid = AnthropicRequestRules.firstViolation(req, beta);
        if (invalid != null) {
            error(ex, 400, "invalid_request_error", invalid);
            return;
        }
        String model = req.path("model").asText();
        if (!models.contains(model)) {
            error(ex, 404, "not_found_error", "model: " + model);
            return;
        }
        Fault fault = faults.poll();
        if (MockHttp.answeredByFault(ex, fault)) {
            return;
        }
        AnthropicAnswer a = answer(req, fault);
        if (a == null) {
            error(ex, 500, "api_error", "mock: a scripted tool call's arguments are not a JSON object");
            return;
        }
        boolean stream = req.path("stream").asBoolean(false) && (fault == null || fault.kind() != Fault.Kind.IGNORE_STREAM);
        String id = "msg_mock" + ids.incrementAndGet();
        if (!stream && fault != null && fault.kind() == Fault.Kind.MALFORMED) {
            send(ex, 200, "application/json", ("{\"id\":\"" + id + "\",\"type\":\"message\",\"content\":[").getBytes(StandardCharsets.UTF_8), Map.of());
        } else if (!stream) {
            send(ex, 200, "application/json", JSON.writeValueAsBytes(new AnthropicMessage(id, model, a, thinking).json()), Map.of());
        } else {
            new AnthropicMessage(id, model, a, thinking).stream(ex, "req_mock" + ids.get(), fault);
        }
    }

    /**
     * What the model answers: the respond function's reply or, without one (or when it answers null), a call to a
     * forced tool, or else the {@code replyWith} blocks. Null when a scripted call's arguments are not an object.
     */
    private AnthropicAnswer answer(JsonNode req, Fault fault) {
        MockAsk ask = AnthropicAnswer.ask(req);
        lastAsk = ask;
        Function<MockAsk, MockReply> f = respond;
        MockReply r = f == null ? null : f.apply(ask);
        if (r == null && ask.forcedTool() != null && ask.offersTools()) {
            String name = ask.forcedTool().equals("*") ? ask.toolNames().getFirst() : ask.forcedTool();
            r = MockReply.call(name, SchemaSample.of(AnthropicAnswer.inputSchema(req, name)).toString());
        }
        if (r == null) {
            return AnthropicAnswer.of(req, reply.apply(ask.lastUserText()), List.of(), null, fault);
        }
        List<AnthropicAnswer.ToolUse> uses = new java.util.ArrayList<>();
        for (MockReply.Call c : r.calls()) {
            JsonNode input = MockCalls.object(c.arguments());
            if (input == null) {
                return null;
            }
            uses.add(new AnthropicAnswer.ToolUse(c.id() != null ? c.id() : MockCalls.anthropicId(), c.name(), input,
                    input.toString()));
        }
        List<String> texts = r.text() == null ? List.of() : List.of(r.text());
        return AnthropicAnswer.of(req, texts, uses, r.refusal(), fault);
    }

    private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        send(ex, status, "application/json", errorBody(type, message).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
