package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private final Map<String, Model> models = new LinkedHashMap<>();
    private final Map<String, Model> registry = new LinkedHashMap<>();
    private final Map<String, Instant> running = new LinkedHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String reply = "Hello from Ollama";
    private volatile java.util.function.Function<MockAsk, MockReply> respond;
    private volatile MockAsk lastAsk;
    private volatile String midStreamError;
    private volatile Duration pullDuration = Duration.ofSeconds(3);
    private volatile int pullSteps = 12;

    private MockOllamaServer(List<Model> initial) throws IOException {
        initial.forEach(m -> models.put(m.name(), m));
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
    public synchronized MockOllamaServer pullable(Model... ms) {
        for (Model m : ms) {
            registry.put(m.name(), m);
        }
        return this;
    }

    /** How long a pull's download takes, spread over {@code steps} progress lines. */
    public MockOllamaServer pullTakes(Duration d, int steps) {
        this.pullDuration = d;
        this.pullSteps = Math.max(1, steps);
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

    public synchronized boolean has(String name) {
        return models.containsKey(name);
    }

    public synchronized boolean isRunning(String name) {
        return running.containsKey(name);
    }

    /** Loads a model as another client of the same Ollama would. */
    public synchronized MockOllamaServer setRunning(String name, Duration keepAlive) {
        running.put(name, Instant.now().plus(keepAlive));
        return this;
    }

    /** Deletes a model as another client ({@code ollama rm}) would: Switchboard is not told. */
    public synchronized MockOllamaServer remove(String name) {
        models.remove(name);
        running.remove(name);
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
                case "GET /api/tags" -> send(ex, 200, list(false));
                case "GET /api/ps" -> send(ex, 200, list(true));
                case "GET /api/version" -> send(ex, 200, JSON.createObjectNode().put("version", "0.6.8"));
                case "POST /api/show" -> show(ex, body);
                case "POST /api/generate" -> generate(ex, body);
                case "POST /api/chat" -> chat(ex, body);
                case "POST /api/pull" -> pull(ex, body);
                case "DELETE /api/delete" -> delete(ex, body);
                case "POST /api/embed" -> embed(ex, body);
                default -> send(ex, 404, "404 page not found".getBytes(StandardCharsets.UTF_8), "text/plain");
            }
        }
    }

    private synchronized ObjectNode list(boolean ps) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("models");
        Instant now = Instant.now();
        running.values().removeIf(until -> until.isBefore(now));
        for (Model m : models.values()) {
            if (ps && !running.containsKey(m.name())) {
                continue;
            }
            ObjectNode o = arr.addObject();
            o.put("name", m.name()).put("model", m.name());
            if (!ps) {
                o.put("modified_at", "2025-05-01T10:00:00.000000000Z");
            }
            o.put("size", m.size()).put("digest", m.digest());
            ObjectNode d = o.putObject("details");
            d.put("parent_model", "").put("format", "gguf").put("family", m.family());
            d.putArray("families").add(m.family());
            d.put("parameter_size", m.parameterSize()).put("quantization_level", m.quantizationLevel());
            if (ps) {
                Instant until = running.get(m.name());
                o.put("expires_at", until.isAfter(now.plus(Duration.ofDays(3650)))
                        ? "2318-05-01T10:00:00Z" : until.atOffset(ZoneOffset.UTC).toString());
                o.put("size_vram", m.size() + 500_000_000L);
            }
        }
        return root;
    }

    private Model model(HttpExchange ex, JsonNode body) throws IOException {
        String name = body.path("model").asText(body.path("name").asText(""));
        Model m;
        synchronized (this) {
            m = models.get(name);
            if (m == null && !name.contains(":")) {
                m = models.get(name + ":latest");
            }
        }
        if (m == null) {
            send(ex, 404, error("model '" + name + "' not found, try pulling it first"));
        }
        return m;
    }

    private void show(HttpExchange ex, JsonNode body) throws IOException {
        Model m = model(ex, body);
        if (m == null) {
            return;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("modelfile", "FROM " + m.name()).put("parameters", "stop \"<|eot_id|>\"").put("template", "{{ .Prompt }}");
        ObjectNode d = o.putObject("details");
        d.put("format", "gguf").put("family", m.family()).put("parameter_size", m.parameterSize())
                .put("quantization_level", m.quantizationLevel());
        ObjectNode info = o.putObject("model_info");
        info.put("general.architecture", m.family());
        info.put("general.parameter_count", m.parameterCount());
        info.put(m.family() + ".context_length", m.contextLength());
        info.put(m.family() + ".embedding_length", 3072);
        ArrayNode caps = o.putArray("capabilities");
        m.capabilities().forEach(caps::add);
        send(ex, 200, o);
    }

    /** Seconds from Ollama's keep_alive: a number of seconds or a Go duration; negative is forever. */
    static Duration keepAlive(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return Duration.ofMinutes(5);
        }
        if (v.isNumber()) {
            double s = v.asDouble();
            return s < 0 ? Duration.ofDays(100_000) : Duration.ofMillis((long) (s * 1000));
        }
        String s = v.asText().strip();
        if (s.startsWith("-")) {
            return Duration.ofDays(100_000);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(s);
        double millis = 0;
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "h" -> n * 3_600_000;
                case "m" -> n * 60_000;
                case "s" -> n * 1000;
                case "ms" -> n;
                default -> 0;
            };
        }
        return Duration.ofMillis((long) millis);
    }

    private void generate(HttpExchange ex, JsonNode body) throws IOException {
        Model m = model(ex, body);
        if (m == null) {
            return;
        }
        String prompt = body.path("prompt").asText("");
        Duration keep = keepAlive(body.get("keep_alive"));
        ObjectNode o = JSON.createObjectNode();
        o.put("model", m.name()).put("created_at", Instant.now().toString()).put("response", "");
        synchronized (this) {
            if (keep.isZero()) {
                running.remove(m.name());
                o.put("done", true).put("done_reason", "unload");
            } else {
                running.put(m.name(), Instant.now().plus(keep));
                o.put("done", true).put("done_reason", "load");
            }
        }
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
        synchronized (this) {
            running.put(m.name(), Instant.now().plus(keepAlive(body.get("keep_alive"))));
        }
        int promptTokens = 0;
        for (JsonNode msg : body.path("messages")) {
            promptTokens += msg.path("content").asText("").split("\\s+").length;
        }
        MockReply r = reply(body);
        ArrayNode calls = JSON.createArrayNode();
        for (MockReply.Call c : r.calls()) {
            JsonNode args = MockCalls.object(c.arguments());
            if (args == null) {
                send(ex, 500, error("mock: the arguments of a scripted call to " + c.name() + " are not a JSON object"));
                return;
            }
            calls.addObject().putObject("function").put("name", c.name()).set("arguments", args);
        }
        String text = r.refusal() != null ? r.refusal() : r.text() == null ? "" : r.text();
        JsonNode options = body.path("options");
        String doneReason = "stop";
        List<String> words = text.isEmpty() && !calls.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(text.split("(?<= )")));
        if (options.has("num_predict") && options.get("num_predict").asInt() < words.size()) {
            words = words.subList(0, Math.max(0, options.get("num_predict").asInt()));
            doneReason = "length";
            calls.removeAll(); // cut short before it got to the calls
        }
        int evalCount = words.size() + calls.size();
        boolean stream = !body.has("stream") || body.get("stream").asBoolean();
        if (!stream) {
            ObjectNode o = chunk(m, String.join("", words), true);
            if (!calls.isEmpty()) {
                ((ObjectNode) o.get("message")).set("tool_calls", calls);
            }
            finish(o, doneReason, promptTokens, evalCount);
            send(ex, 200, o);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        String fail = midStreamError;
        for (int i = 0; i < words.size(); i++) {
            if (fail != null && i == 2) {
                line(out, error(fail));
                return;
            }
            line(out, chunk(m, words.get(i), false));
        }
        if (!calls.isEmpty()) { // Ollama sends the calls whole, in one chunk of their own
            ObjectNode o = chunk(m, "", false);
            ((ObjectNode) o.get("message")).set("tool_calls", calls);
            line(out, o);
        }
        ObjectNode last = chunk(m, "", true);
        finish(last, doneReason, promptTokens, evalCount);
        line(out, last);
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

    private static ObjectNode chunk(Model m, String content, boolean done) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", m.name()).put("created_at", Instant.now().toString());
        o.putObject("message").put("role", "assistant").put("content", content);
        o.put("done", done);
        return o;
    }

    private static void finish(ObjectNode o, String doneReason, int promptTokens, int evalCount) {
        o.put("done_reason", doneReason).put("total_duration", 1_250_000_000L).put("load_duration", 150_000_000L)
                .put("prompt_eval_count", promptTokens).put("prompt_eval_duration", 100_000_000L)
                .put("eval_count", evalCount).put("eval_duration", 500_000_000L);
    }

    private void pull(HttpExchange ex, JsonNode body) throws IOException {
        String name = body.path("model").asText(body.path("name").asText(""));
        Model m;
        synchronized (this) {
            m = registry.containsKey(name) ? registry.get(name) : models.get(name);
        }
        boolean stream = !body.has("stream") || body.get("stream").asBoolean();
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        if (stream) {
            line(out, JSON.createObjectNode().put("status", "pulling manifest"));
        }
        if (m == null) {
            line(out, error("pull model manifest: file does not exist"));
            return;
        }
        long total = m.size();
        String digest = "sha256:" + m.digest();
        long sleep = pullDuration.toMillis() / pullSteps;
        if (stream) {
            line(out, JSON.createObjectNode().put("status", "pulling " + m.digest().substring(0, 12))
                    .put("digest", digest).put("total", total));
            for (int i = 1; i <= pullSteps; i++) {
                sleep(sleep);
                line(out, JSON.createObjectNode().put("status", "downloading " + digest).put("digest", digest)
                        .put("total", total).put("completed", total * i / pullSteps));
            }
            line(out, JSON.createObjectNode().put("status", "verifying sha256 digest"));
            line(out, JSON.createObjectNode().put("status", "writing manifest"));
        } else {
            sleep(pullDuration.toMillis());
        }
        synchronized (this) {
            models.put(m.name(), m);
        }
        line(out, JSON.createObjectNode().put("status", "success"));
    }

    private void delete(HttpExchange ex, JsonNode body) throws IOException {
        Model m = model(ex, body);
        if (m == null) {
            return;
        }
        synchronized (this) {
            models.remove(m.name());
            running.remove(m.name());
        }
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
        double[] v = new double[8];
        for (int i = 0; i < text.length(); i++) {
            v[i % 8] += text.charAt(i);
        }
        double norm = 0;
        for (double d : v) {
            norm += d * d;
        }
        norm = norm == 0 ? 1 : Math.sqrt(norm);
        for (int i = 0; i < 8; i++) {
            v[i] = v[i] / norm;
        }
        return v;
    }

    private static ArrayNode vector(String s) {
        ArrayNode a = JSON.createArrayNode();
        for (double d : embeddingOf(s)) {
            a.add(d);
        }
        return a;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void line(OutputStream out, JsonNode json) throws IOException {
        out.write(JSON.writeValueAsBytes(json));
        out.write('\n');
        out.flush();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, JsonNode json) throws IOException {
        send(ex, status, JSON.writeValueAsBytes(json), "application/json; charset=utf-8");
    }

    private static void send(HttpExchange ex, int status, byte[] body, String type) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
