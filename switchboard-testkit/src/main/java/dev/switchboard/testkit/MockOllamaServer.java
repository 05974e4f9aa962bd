package dev.switchboard.testkit;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local Ollama over real HTTP, speaking its native API: {@code /api/tags}, {@code /api/ps}, {@code /api/show},
 * {@code /api/generate} (an empty prompt loads or unloads by {@code keep_alive}), {@code /api/chat} (NDJSON when
 * streamed, which is Ollama's default), {@code /api/pull} (progress lines over a few seconds), {@code /api/delete} and
 * {@code /api/embed}. A model it does not have answers 404 {@code model 'x' not found, try pulling it first}.
 * Chat takes OpenAI-shaped {@code tools}, a {@code format} ({@code "json"} or a JSON Schema), base64 {@code images},
 * assistant {@code tool_calls} with object arguments and {@code tool} messages, refusing what Ollama refuses
 * ({@link OllamaChat}); tests script answers, tool calls included, with {@link #respond}. Every request is recorded
 * with its JSON body.
 */
public final class MockOllamaServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One downloaded model. */
    public record Model(String name, String family, String parameterSize, String quantizationLevel, long size,
                        int contextLength, long parameterCount, List<String> capabilities) {
        public static Model chat(String name) {
            return new Model(name, "llama", "3.2B", "Q4_K_M", 2_019_393_189L, 131072, 3_212_749_888L,
                    List.of("completion", "tools"));
        }

        public static Model embedding(String name) {
            return new Model(name, "nomic-bert", "137M", "F16", 274_302_450L, 2048, 136_727_040L, List.of("embedding"));
        }

        String digest() {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(name.getBytes(StandardCharsets.UTF_8)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A request as it arrived. */
    public record Request(String method, String path, JsonNode body) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final OllamaModels store;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String reply = "Hello from Ollama";
    private volatile java.util.function.Function<MockAsk, MockReply> respond;
    private volatile MockAsk lastAsk;
    private volatile String midStreamError;

    private MockOllamaServer(List<Model> initial) throws IOException {
        store = new OllamaModels(initial);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static MockOllamaServer start(Model... models) {
        try {
            return new MockOllamaServer(List.of(models));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Models {@code /api/pull} can fetch (everything downloaded can be pulled again too). */
    public MockOllamaServer pullable(Model... ms) {
        store.pullable(ms);
        return this;
    }

    /** How long a pull's download takes, spread over {@code steps} progress lines. */
    public MockOllamaServer pullTakes(Duration d, int steps) {
        store.pullTakes(d, steps);
        return this;
    }

    /** The assistant text chat answers with (streamed word by word). It drops a {@link #respond} function. */
    public MockOllamaServer reply(String text) {
        this.reply = text;
        this.respond = null;
        return this;
    }

    /**
     * Scripts chat answers: text, or tool calls (arguments must be a JSON object), sent as Ollama before 0.12 sends
     * them: {@code message.tool_calls:[{function:{name, arguments:{…}}}]} without ids, {@code done_reason: stop},
     * whole in one chunk when streamed. When {@code f} answers null, or without one, a JSON Schema {@code format} gets
     * a sample of the schema ({@code "json"}: {@code {}}), and anything else the {@link #reply(String)} text. A
     * refusal is answered as text, Ollama having no other way to say it. Null turns scripting off.
     */
    public MockOllamaServer respond(java.util.function.Function<MockAsk, MockReply> f) {
        this.respond = f;
        return this;
    }

    /** What the latest valid chat request asked, as {@link #respond} functions see it; null before the first. */
    public MockAsk lastAsk() {
        return lastAsk;
    }

    /** Makes streamed chats send two chunks and then {@code {"error": message}}; null turns it off. */
    public MockOllamaServer failMidStream(String message) {
        this.midStreamError = message;
        return this;
    }

    public boolean has(String name) {
        return store.has(name);
    }

    public boolean isRunning(String name) {
        return store.isRunning(name);
    }

    /** Loads a model as another client of the same Ollama would. */
    public MockOllamaServer setRunning(String name, Duration keepAlive) {
        store.setRunning(name, keepAlive);
        return this;
    }

    /** Deletes a model as another client ({@code ollama rm}) would: Switchboard is not told. */
    public MockOllamaServer remove(String name) {
        store.remove(name);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The {@code keep_alive} of each {@code /api/generate}, as sent (text of the JSON value), in order. */
    public List<String> keepAlives() {
        return requests("/api/generate").stream().map(r -> r.body().path("keep_alive"))
                .map(n -> n.isMissingNode() ? null : n.isTextual() ? n.asText() : n.toString()).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            JsonNode body;
            try {
                body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            } catch (IOException e) {
                send(ex, 400, error("invalid character in request body"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            requests.add(new Request(method, path, body));
            switch (method + " " + path) {
                case "GET /api/tags" -> send(ex, 200, store.list(false));
                case "GET /api/ps" -> send(ex, 200, store.list(true));
                case "GET /api/version" -> send(ex, 200, JSON.createObjectNode().put("version", "0.6.8"));
                case "POST /api/show" -> show(ex, body);
                case "POST /api/generate" -> generate(ex, body);
                case "POST /api/chat" -> chat(ex, body);
                case "POST /api/pull" -> store.pull(ex, body);
                case "DELETE /api/delete" -> delete(ex, body);
                case "POST /api/embed" -> embed(ex, body);
                default -> MockHttp.send(ex, 404, "text/plain", "404 page not found".getBytes(StandardCharsets.UTF_8), Map.of());
            }
        }
    }

    /** The downloaded model the body names, or null after answering Ollama's 404 for it. */
    private Model model(HttpExchange ex, JsonNode body) throws IOException {
        String name = body.path("model").asText(body.path("name").asText(""));
        Model m = store.find(name);
        if (m == null) {
            send(ex, 404, error("model '" + name + "' not found, try pulling it first"));
        }
        return m;
    }

    private void show(HttpExchange ex, JsonNode body) throws IOException {
        Model m = model(ex, body);
        if (m != null) {
            send(ex, 200, OllamaModels.show(m));
        }
    }

    private void generate(HttpExchange ex, JsonNode body) throws IOException {
        Model m = model(ex, body);
        if (m == null) {
            return;
        }
        String prompt = body.path("prompt").asText("");
        boolean loaded = store.load(m.name(), OllamaModels.keepAlive(body.get("keep_alive")));
        ObjectNode o = JSON.createObjectNode();
        o.put("model", m.name()).put("created_at", Instant.now().toString()).put("response", "");
        o.put("done", true).put("done_reason", loaded ? "load" : "unload");
        if (!prompt.isEmpty()) {
            o.put("response", reply).put("done_reason", "stop");
        }
        send(ex, 200, o);
    }

    private void chat(HttpExchange ex, JsonNode body) throws IOException {
        Model m = model(ex, body);
        if (m == null) {
            return;
        }
        if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
            send(ex, 400, error("messages are required"));
            return;
        }
        OllamaChat.Refusal refused = OllamaChat.refusal(body);
        if (refused != null) {
            send(ex, refused.status(), error(refused.error()));
            return;
        }
        store.setRunning(m.name(), OllamaModels.keepAlive(body.get("keep_alive")));
        MockReply r = reply(body);
        for (MockReply.Call c : r.calls()) {
            if (MockCalls.object(c.arguments()) == null) {
                send(ex, 500, error("mock: the arguments of a scripted call to " + c.name() + " are not a JSON object"));
                return;
            }
        }
        OllamaAnswer answer = OllamaAnswer.of(m.name(), body, r);
        if (!body.has("stream") || body.get("stream").asBoolean()) {
            answer.stream(ex, midStreamError);
        } else {
            send(ex, 200, answer.json());
        }
    }

    /**
     * The reply to script: the respond function's or, without one (or when it answers null), a sample of a JSON
     * Schema {@code format} ({@code {}} for {@code "json"}), or else the {@link #reply(String)} text.
     */
    private MockReply reply(JsonNode body) {
        MockAsk ask = OllamaChat.ask(body);
        lastAsk = ask;
        java.util.function.Function<MockAsk, MockReply> f = respond;
        MockReply r = f == null ? null : f.apply(ask);
        if (r != null) {
            return r;
        }
        if (ask.jsonSchema() != null) {
            return MockReply.text(SchemaSample.of(ask.jsonSchema()).toString());
        }
        return MockReply.text("json".equals(body.path("format").asText()) ? "{}" : reply);
    }

    private void delete(HttpExchange ex, JsonNode body) throws IOException {
        Model m = model(ex, body);
        if (m == null) {
            return;
        }
        store.remove(m.name());
        ex.sendResponseHeaders(200, -1);
    }

    private void embed(HttpExchange ex, JsonNode body) throws IOException {
        Model m = model(ex, body);
        if (m == null) {
            return;
        }
        JsonNode input = body.path("input");
        List<String> inputs = new ArrayList<>();
        if (input.isTextual()) {
            inputs.add(input.asText());
        } else if (input.isArray()) {
            input.forEach(i -> inputs.add(i.asText()));
        } else {
            send(ex, 400, error("invalid input type"));
            return;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("model", m.name());
        ArrayNode embeddings = o.putArray("embeddings");
        int tokens = 0;
        for (String s : inputs) {
            embeddings.add(vector(s));
            tokens += Math.max(1, s.split("\\s+").length);
        }
        o.put("total_duration", 14_143_917L).put("load_duration", 1_019_500L).put("prompt_eval_count", tokens);
        send(ex, 200, o);
    }

    /** A deterministic unit vector of 8 dimensions for a text, so tests can compare embeddings. */
    public static double[] embeddingOf(String text) {
        return OpenAiEmbeddings.unitVector(text, 8);
    }

    private static ArrayNode vector(String s) {
        ArrayNode a = JSON.createArrayNode();
        for (double d : embeddingOf(s)) {
            a.add(d);
        }
        return a;
    }

    /** Ollama's error body, in an answer or as an NDJSON line. */
    static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange ex, int status, JsonNode json) throws IOException {
        MockHttp.send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(json), Map.of());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
