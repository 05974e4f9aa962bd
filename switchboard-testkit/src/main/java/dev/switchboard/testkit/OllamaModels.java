package dev.switchboard.testkit;

import static dev.switchboard.testkit.MockHttp.line;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.switchboard.testkit.MockOllamaServer.Model;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Ollama mock's model store: what is downloaded ({@code /api/tags}, {@code /api/show}, {@code /api/delete}),
 * what is loaded and until when ({@code /api/ps}, {@code keep_alive}), and what {@code /api/pull} can fetch and how
 * long that takes. Its own lock guards the maps, so requests and tests can change them at the same time.
 */
final class OllamaModels {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private final Map<String, Model> models = new LinkedHashMap<>();
    private final Map<String, Model> registry = new LinkedHashMap<>();
    private final Map<String, Instant> running = new LinkedHashMap<>();
    private volatile Duration pullDuration = Duration.ofSeconds(3);
    private volatile int pullSteps = 12;

    OllamaModels(List<Model> initial) {
        initial.forEach(m -> models.put(m.name(), m));
    }

    synchronized void pullable(Model... ms) {
        for (Model m : ms) {
            registry.put(m.name(), m);
        }
    }

    void pullTakes(Duration d, int steps) {
        this.pullDuration = d;
        this.pullSteps = Math.max(1, steps);
    }

    synchronized boolean has(String name) {
        return models.containsKey(name);
    }

    synchronized boolean isRunning(String name) {
        return running.containsKey(name);
    }

    synchronized void setRunning(String name, Duration keepAlive) {
        running.put(name, Instant.now().plus(keepAlive));
    }

    synchronized void remove(String name) {
        models.remove(name);
        running.remove(name);
    }

    /** A downloaded model by name, the {@code :latest} one when the name has no tag; null when there is none. */
    synchronized Model find(String name) {
        Model m = models.get(name);
        if (m == null && !name.contains(":")) {
            m = models.get(name + ":latest");
        }
        return m;
    }

    /** What an empty {@code /api/generate} does: a zero keep_alive unloads, any other loads; true when it loaded. */
    synchronized boolean load(String name, Duration keep) {
        if (keep.isZero()) {
            running.remove(name);
            return false;
        }
        running.put(name, Instant.now().plus(keep));
        return true;
    }

    /** {@code /api/tags}, or with {@code ps} {@code /api/ps}: only the loaded models, with when they unload. */
    synchronized ObjectNode list(boolean ps) {
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

    /** {@code /api/show} of a downloaded model. */
    static ObjectNode show(Model m) {
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
        return o;
    }

    /**
     * {@code /api/pull}: always 200 NDJSON, its failure an {@code error} line; streamed, progress lines spread over
     * the pull's duration, else one {@code success} line after all of it.
     */
    void pull(HttpExchange ex, JsonNode body) throws IOException {
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
            line(out, MockOllamaServer.error("pull model manifest: file does not exist"));
            return;
        }
        Duration took = pullDuration;
        int steps = pullSteps;
        if (stream) {
            long total = m.size();
            String digest = "sha256:" + m.digest();
            line(out, JSON.createObjectNode().put("status", "pulling " + m.digest().substring(0, 12))
                    .put("digest", digest).put("total", total));
            for (int i = 1; i <= steps; i++) {
                MockHttp.sleep(took.toMillis() / steps);
                line(out, JSON.createObjectNode().put("status", "downloading " + digest).put("digest", digest)
                        .put("total", total).put("completed", total * i / steps));
            }
            line(out, JSON.createObjectNode().put("status", "verifying sha256 digest"));
            line(out, JSON.createObjectNode().put("status", "writing manifest"));
        } else {
            MockHttp.sleep(took.toMillis());
        }
        synchronized (this) {
            models.put(m.name(), m);
        }
        line(out, JSON.createObjectNode().put("status", "success"));
    }

    /** Ollama's keep_alive: a number of seconds or a Go duration; negative is forever, absent five minutes. */
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
        Matcher m = GO_DURATION.matcher(s);
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
}
