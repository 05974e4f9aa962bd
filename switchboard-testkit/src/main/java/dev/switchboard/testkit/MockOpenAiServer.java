package dev.switchboard.testkit;

import static dev.switchboard.testkit.MockHttp.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local OpenAI-compatible upstream over real HTTP: {@code GET /v1/models}, {@code POST /v1/chat/completions}
 * (JSON or SSE with {@code data: [DONE]}; tools and legacy functions, {@code n} choices, logprobs, structured
 * output) and {@code POST /v1/embeddings}, bearer-key checks, the 400s OpenAI answers for tool conversations that do
 * not pair up and parameters out of range ({@link OpenAiRequestRules}), and OpenAI's error shapes. Dialects of it
 * (OpenRouter) change the path prefix, the usage fields and the error shape. Tests script answers with
 * {@link #respond(Function)} and failures with {@link #enqueue(Fault)}; each queued fault answers exactly one chat or
 * embeddings request.
 */
public final class MockOpenAiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The {@code system_fingerprint} every answer carries, so passthrough can be asserted. */
    public static final String FINGERPRINT = "fp_mock";

    private final HttpServer server;
    private final String apiKey;
    private final List<String> models;
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile Function<String, String> reply = prompt -> "echo: " + prompt;
    private volatile Function<MockAsk, MockReply> respond;
    private volatile MockAsk lastAsk;
    private volatile boolean modelsEndpoint = true;
    private final Map<String, com.sun.net.httpserver.HttpHandler> extraRoutes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String apiPrefix = "/v1";
    private volatile java.util.function.BiConsumer<String, ObjectNode> usageDecorator = (model, usage) -> { };
    private volatile ErrorShape errorShape = MockOpenAiServer::openAiErrorBody;
    /** The exchange attribute holding the request body, for routes added with {@link #route}. */
    public static final String BODY = "switchboard.mock.body";
    private final java.util.Set<String> otherKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Writes an error body in an upstream's dialect; {@code type} and {@code code} are OpenAI's names for it. */
    @FunctionalInterface
    public interface ErrorShape {
        ObjectNode body(int status, String message, String type, String code);
    }

    /** One request as the mock received it. Header names are lower-case; {@code remotePort} tells connections apart. */
    public record Recorded(String method, String path, Map<String, String> headers, String body, int remotePort) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private MockOpenAiServer(int port, String apiKey, List<String> models) throws IOException {
        this.apiKey = apiKey;
        this.models = List.copyOf(models);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** @param apiKey the bearer key callers must send, or null to accept any caller */
    public static MockOpenAiServer start(String apiKey, String... models) {
        return startOn(0, apiKey, models);
    }

    /** Starts on a given port, for example to bring an upstream back where it was before. */
    public static MockOpenAiServer startOn(int port, String apiKey, String... models) {
        try {
            return new MockOpenAiServer(port, apiKey, List.of(models));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mock server on port " + port, e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, without {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * How the mock answers: a function of the last user message (its JSON when it has parts). Default
     * {@code "echo: " + prompt}. It drops a {@link #respond} function, so tests that reset with it start plain.
     */
    public MockOpenAiServer replyWith(Function<String, String> f) {
        this.reply = f;
        this.respond = null;
        return this;
    }

    /**
     * Scripts the answers: text, tool calls (rendered as {@code tool_calls}, or {@code function_call} when the request
     * used legacy {@code functions}) or a refusal, the same in every one of the {@code n} choices. When {@code f}
     * answers null, or without a respond function, the mock calls a forced tool with arguments its schema accepts,
     * answers a sample of a {@code json_schema} response format ({@code {}} for {@code json_object}), or else
     * {@link #replyWith} text. Null turns scripting off.
     */
    public MockOpenAiServer respond(Function<MockAsk, MockReply> f) {
        this.respond = f;
        return this;
    }

    /** What the latest chat request asked, as {@link #respond} functions see it; null before the first. */
    public MockAsk lastAsk() {
        return lastAsk;
    }

    /** Makes {@code GET /v1/models} answer 404, as some OpenAI-compatible servers do. */
    public MockOpenAiServer withoutModelsEndpoint() {
        this.modelsEndpoint = false;
        return this;
    }

    /**
     * Serves {@code method path} with {@code handler} before the OpenAI routes, so a mock of a server that speaks
     * OpenAI plus a native API of its own (LM Studio's {@code /api/v0}) can reuse this one. Requests to it are
     * recorded like the others (the body is already read: find it in {@link #requests()}); the handler must send
     * a response.
     */
    /** Accepts {@code key} as well as the one the mock was started with (another account's key). */
    public MockOpenAiServer acceptKey(String key) {
        otherKeys.add(key);
        return this;
    }

    /** Stops accepting a key {@link #acceptKey} added (a revoked key). */
    public MockOpenAiServer forgetKey(String key) {
        otherKeys.remove(key);
        return this;
    }

    public MockOpenAiServer route(String method, String path, com.sun.net.httpserver.HttpHandler handler) {
        extraRoutes.put(method + " " + path, handler);
        return this;
    }

    /** Serves the OpenAI routes under another prefix, for example OpenRouter's {@code /api/v1}. */
    public MockOpenAiServer withApiPrefix(String prefix) {
        this.apiPrefix = prefix;
        return this;
    }

    /** Adds fields to every usage object (OpenRouter's {@code cost}); called with the model id and the usage. */
    public MockOpenAiServer withUsage(java.util.function.BiConsumer<String, ObjectNode> decorator) {
        this.usageDecorator = decorator;
        return this;
    }

    /** Answers the mock's own errors (bad key, unknown model, bad body) in another dialect. */
    public MockOpenAiServer withErrorShape(ErrorShape shape) {
        this.errorShape = shape;
        return this;
    }

    public MockOpenAiServer enqueue(Fault fault) {
        faults.add(fault);
        return this;
    }

    public List<Recorded> requests() {
        return Collections.unmodifiableList(requests);
    }

    public List<Recorded> chatRequests() {
        return requests.stream().filter(r -> r.path.endsWith("/chat/completions")).toList();
    }

    public List<Recorded> embeddingRequests() {
        return requests.stream().filter(r -> r.path.endsWith("/embeddings")).toList();
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

            com.sun.net.httpserver.HttpHandler extra = extraRoutes.get(ex.getRequestMethod() + " " + path);
            if (extra != null) {
                ex.setAttribute(BODY, request.body()); // already read: an extra route finds it here
                extra.handle(ex);
                return;
            }
            String bearer = headers.getOrDefault("authorization", "");
            if (apiKey != null && !("Bearer " + apiKey).equals(bearer)
                    && !(bearer.startsWith("Bearer ") && otherKeys.contains(bearer.substring(7)))) {
                String shown = headers.getOrDefault("authorization", "").replace("Bearer ", "");
                error(ex, 401, "Incorrect API key provided: " + mask(shown) + ". You can find your API key at https://platform.openai.com/account/api-keys.",
                        "invalid_request_error", "invalid_api_key");
                return;
            }
            if (path.equals(apiPrefix + "/models") && ex.getRequestMethod().equals("GET")) {
                if (!modelsEndpoint) {
                    error(ex, 404, "Not found", "invalid_request_error", null);
                    return;
                }
                ObjectNode list = JSON.createObjectNode().put("object", "list");
                ArrayNode data = list.putArray("data");
                for (String m : models) {
                    data.addObject().put("id", m).put("object", "model").put("created", 1_700_000_000L).put("owned_by", "mock");
                }
                send(ex, 200, "application/json", JSON.writeValueAsBytes(list), Map.of());
                return;
            }
            if (path.equals(apiPrefix + "/chat/completions") && ex.getRequestMethod().equals("POST")) {
                chat(ex, request.body());
                return;
            }
            if (path.equals(apiPrefix + "/embeddings") && ex.getRequestMethod().equals("POST")) {
                embeddings(ex, request.body());
                return;
            }
            error(ex, 404, "Unknown request URL: " + ex.getRequestMethod() + " " + path, "invalid_request_error", "unknown_url");
        }
    }

    private void chat(HttpExchange ex, String body) throws IOException {
        Accepted accepted = accept(ex, body, MockOpenAiServer::chatViolation);
        if (accepted == null) {
            return;
        }
        JsonNode req = accepted.req();
        Fault fault = accepted.fault();
        MockAsk ask = OpenAiAnswer.ask(req);
        lastAsk = ask;
        MockReply reply = reply(req, ask);
        OpenAiCompletion answer = OpenAiCompletion.of("chatcmpl-mock" + requests.size(), req, reply, ask.choices(), fault,
                usageDecorator);
        boolean stream = req.path("stream").asBoolean(false) && (fault == null || fault.kind() != Fault.Kind.IGNORE_STREAM);
        if (fault != null && fault.kind() == Fault.Kind.MALFORMED && !stream) {
            send(ex, 200, "application/json", "{\"id\":\"chatcmpl-x\",\"choices\":[{\"index\":0,".getBytes(StandardCharsets.UTF_8), Map.of());
        } else if (stream) {
            answer.stream(ex, req.path("stream_options").path("include_usage").asBoolean(false), fault);
        } else {
            send(ex, 200, "application/json", JSON.writeValueAsBytes(answer.completion()), Map.of());
        }
    }

    /** OpenAI's checks of a chat body beyond the model: messages first, then {@link OpenAiRequestRules}. */
    private static OpenAiRequestRules.Violation chatViolation(JsonNode req) {
        JsonNode messages = req.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return new OpenAiRequestRules.Violation("'messages' is a required property", null, null);
        }
        return OpenAiRequestRules.firstViolation(req);
    }

    /**
     * The reply to script: the respond function's or, without one (or when it answers null), a call to a forced
     * tool with arguments its schema accepts, a sample of the asked JSON Schema, {@code {}} for {@code json_object},
     * or else the {@code replyWith} text.
     */
    private MockReply reply(JsonNode req, MockAsk ask) {
        Function<MockAsk, MockReply> f = respond;
        MockReply r = f == null ? null : f.apply(ask);
        if (r != null) {
            return r;
        }
        if (ask.forcedTool() != null && ask.offersTools()) {
            String name = ask.forcedTool().equals("*") ? ask.toolNames().getFirst() : ask.forcedTool();
            return MockReply.call(name, SchemaSample.of(OpenAiAnswer.parameters(req, name)).toString());
        }
        String format = req.path("response_format").path("type").asText();
        if (format.equals("json_schema")) {
            return MockReply.text(SchemaSample.of(ask.jsonSchema()).toString());
        }
        if (format.equals("json_object")) {
            return MockReply.text("{}");
        }
        return MockReply.text(reply.apply(OpenAiAnswer.legacyPrompt(req.path("messages"))));
    }

    private void embeddings(HttpExchange ex, String body) throws IOException {
        Accepted accepted = accept(ex, body, OpenAiEmbeddings::violation);
        if (accepted == null) {
            return;
        }
        Fault fault = accepted.fault();
        if (fault != null && fault.kind() == Fault.Kind.MALFORMED) {
            send(ex, 200, "application/json", "{\"object\":\"list\",\"data\":[{\"object\":".getBytes(StandardCharsets.UTF_8), Map.of());
            return;
        }
        send(ex, 200, "application/json", JSON.writeValueAsBytes(OpenAiEmbeddings.answer(accepted.req())), Map.of());
    }

    /** A chat or embeddings request that passed OpenAI's checks, and the fault it took (null when none was queued). */
    private record Accepted(JsonNode req, Fault fault) {}

    /**
     * Checks a body the way OpenAI does (a JSON object, a known model, then {@code rules}), then takes the next
     * fault and applies its delay and status; null when a check or the fault has already answered.
     */
    private Accepted accept(HttpExchange ex, String body, Function<JsonNode, OpenAiRequestRules.Violation> rules)
            throws IOException {
        JsonNode req = body(ex, body);
        if (req == null || !knownModel(ex, req)) {
            return null;
        }
        OpenAiRequestRules.Violation invalid = rules.apply(req);
        if (invalid != null) {
            error(ex, 400, invalid.message(), "invalid_request_error", invalid.code(), invalid.param());
            return null;
        }
        Fault fault = faults.poll();
        return MockHttp.answeredByFault(ex, fault) ? null : new Accepted(req, fault);
    }

    /** The body as a JSON object, or null after answering OpenAI's 400 for a body that is not one. */
    private JsonNode body(HttpExchange ex, String body) throws IOException {
        try {
            JsonNode req = JSON.readTree(body);
            if (req != null && req.isObject()) {
                return req;
            }
        } catch (IOException e) {
            // answered below
        }
        error(ex, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
        return null;
    }

    private boolean knownModel(HttpExchange ex, JsonNode req) throws IOException {
        String model = req.path("model").asText(null);
        if (model == null || !models.contains(model)) {
            error(ex, 404, "The model `" + model + "` does not exist or you do not have access to it.",
                    "invalid_request_error", "model_not_found");
            return false;
        }
        return true;
    }

    private void error(HttpExchange ex, int status, String message, String type, String code) throws IOException {
        error(ex, status, message, type, code, null);
    }

    /** An error naming the parameter at fault, where the dialect's shape has a {@code param} for it. */
    private void error(HttpExchange ex, int status, String message, String type, String code, String param) throws IOException {
        ObjectNode body = errorShape.body(status, message, type, code);
        if (param != null && body.path("error").has("param")) {
            ((ObjectNode) body.get("error")).put("param", param);
        }
        send(ex, status, "application/json", JSON.writeValueAsBytes(body), Map.of());
    }

    private static ObjectNode openAiErrorBody(int status, String message, String type, String code) {
        ObjectNode err = JSON.createObjectNode();
        ObjectNode e = err.putObject("error").put("message", message).put("type", type).putNull("param");
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return err;
    }

    private static String mask(String key) {
        return key.length() <= 8 ? "****" : key.substring(0, 3) + "*".repeat(key.length() - 7) + key.substring(key.length() - 4);
    }
}
