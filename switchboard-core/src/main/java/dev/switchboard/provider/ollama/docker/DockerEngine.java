package dev.switchboard.provider.ollama.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handful of Docker Engine API calls the managed container needs. Field names on this wire are PascalCase,
 * so bodies are built and read as JSON trees rather than through the project's snake_case record mapping.
 */
final class DockerEngine {
    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

    /** The newest API version this client is written against; the daemon's advertised version caps it. */
    static final String MAX_API_VERSION = "1.45";
    /** DeviceRequests (GPU) arrived in API 1.40 (Docker 19.03). */
    static final String GPU_API_VERSION = "1.40";
    /** Used when /_ping does not advertise a version. */
    static final String FALLBACK_API_VERSION = "1.41";

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    // Ollama's image is several GB; a slow link needs far longer than any single API call.
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(30);
    private static final Pattern API_VERSION = Pattern.compile("\\d+\\.\\d+");

    private final UnixHttp http;
    private String prefix = "/v" + FALLBACK_API_VERSION;

    DockerEngine(Path socket) {
        this.http = new UnixHttp(socket);
    }

    /** What the Engine lists about a container: its id, state and the host port mapped to Ollama's port. */
    record ContainerSummary(String id, String state, Optional<Integer> publishedPort) {
        boolean running() {
            return "running".equalsIgnoreCase(state);
        }
    }

    /** Pings the daemon and settles the API version for the calls that follow. */
    String ping(boolean needsGpu) {
        UnixHttp.Response r = http.send("GET", "/_ping", null, CALL_TIMEOUT);
        if (r.status() != 200) {
            throw engineError("GET /_ping", r);
        }
        String advertised = r.header("Api-Version");
        String version = advertised != null && API_VERSION.matcher(advertised.trim()).matches()
                ? min(advertised.trim(), MAX_API_VERSION)
                : FALLBACK_API_VERSION;
        if (needsGpu && compare(version, GPU_API_VERSION) < 0) {
            throw new DockerException("Docker Engine API " + version + " at " + http.socket()
                    + " is too old for GPU device requests (needs " + GPU_API_VERSION + ", Docker 19.03+)");
        }
        prefix = "/v" + version;
        return version;
    }

    Optional<ContainerSummary> findContainer(String name, int containerPort) {
        ObjectNode filters = Json.mapper().createObjectNode();
        // The name filter is a regular expression over names that carry a leading slash.
        filters.putArray("name").add("^/" + name.replace(".", "\\.") + "$");
        String target = prefix + "/containers/json?all=true&filters=" + encode(filters.toString());
        UnixHttp.Response r = http.send("GET", target, null, CALL_TIMEOUT);
        if (r.status() != 200) {
            throw engineError("list containers", r);
        }
        JsonNode list = parse(r, "list containers");
        for (JsonNode c : list) {
            for (JsonNode n : c.path("Names")) {
                if (n.asText().equals("/" + name)) {
                    return Optional.of(new ContainerSummary(c.path("Id").asText(), c.path("State").asText(),
                            publishedPort(c, containerPort)));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> publishedPort(JsonNode container, int containerPort) {
        for (JsonNode p : container.path("Ports")) {
            if (p.path("PrivatePort").asInt() == containerPort && "tcp".equals(p.path("Type").asText("tcp"))
                    && p.path("PublicPort").asInt() > 0) {
                return Optional.of(p.path("PublicPort").asInt());
            }
        }
        return Optional.empty();
    }

    void start(String id, String name) {
        String target = prefix + "/containers/" + encode(id) + "/start";
        UnixHttp.Response r = http.send("POST", target, null, CALL_TIMEOUT);
        // 304: already started, which is what we wanted.
        if (r.status() != 204 && r.status() != 304 && r.status() != 200) {
            throw engineError("start container '" + name + "'", r);
        }
    }

    boolean imageExists(String image) {
        UnixHttp.Response r = http.send("GET", prefix + "/images/" + image + "/json", null, CALL_TIMEOUT);
        if (r.status() == 200) {
            return true;
        }
        if (r.status() == 404) {
            return false;
        }
        throw engineError("inspect image " + image, r);
    }

    /** Pulls the image, consuming the progress stream to its end; an error line in the stream fails the pull. */
    void pull(ImageRef ref) {
        String target = prefix + "/images/create?fromImage=" + encode(ref.repository())
                + (ref.tag() == null ? "" : "&tag=" + encode(ref.tag()));
        log.info("Pulling Docker image {} for the managed Ollama container", ref);
        UnixHttp.Streamed s = http.open("POST", target, null, PULL_TIMEOUT);
        try (s) {
            if (s.status() != 200) {
                byte[] body = UnixHttp.readAll(s.body(), 1 << 20);
                throw engineError("pull image " + ref, new UnixHttp.Response(s.status(), s.headers(), body));
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8));
            String line;
            String lastStatus = null;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event;
                try {
                    event = Json.mapper().readTree(line);
                } catch (IOException e) {
                    log.debug("Ignoring unreadable pull progress line: {}", line);
                    continue;
                }
                String error = event.path("errorDetail").path("message").asText(event.path("error").asText(""));
                if (!error.isBlank()) {
                    throw new DockerException("Docker could not pull image " + ref + ": " + error);
                }
                String status = event.path("status").asText("");
                if (!status.equals(lastStatus) && !event.has("progressDetail")) {
                    log.debug("pull {}: {} {}", ref, event.path("id").asText(""), status);
                }
                lastStatus = status;
            }
            log.info("Pulled Docker image {}", ref);
        } catch (IOException e) {
            throw new DockerException("Pulling image " + ref + " through " + http.socket()
                    + (s.expired() ? " took longer than " + PULL_TIMEOUT.toMinutes() + " min"
                            : " broke off: " + e.getMessage()), e);
        }
    }

    /** Creates the container; returns its id. A 409 means someone else created it meanwhile. */
    CreateResult create(String name, JsonNode body) {
        UnixHttp.Response r = http.send("POST", prefix + "/containers/create?name=" + encode(name),
                Json.bytes(body), CALL_TIMEOUT);
        if (r.status() == 409) {
            return new CreateResult(null, true);
        }
        if (r.status() != 201 && r.status() != 200) {
            throw engineError("create container '" + name + "'", r);
        }
        String id = parse(r, "create container").path("Id").asText("");
        if (id.isBlank()) {
            throw new DockerException("Docker created container '" + name + "' but returned no Id");
        }
        for (JsonNode w : parse(r, "create container").path("Warnings")) {
            log.warn("Docker warning creating container '{}': {}", name, w.asText());
        }
        return new CreateResult(id, false);
    }

    record CreateResult(String id, boolean conflict) {}

    /** The container's {@code State} object from inspect, or empty when it cannot be had; never throws. */
    Optional<JsonNode> state(String id) {
        try {
            UnixHttp.Response r = http.send("GET", prefix + "/containers/" + encode(id) + "/json", null, CALL_TIMEOUT);
            return r.status() == 200 ? Optional.of(parse(r, "inspect container").path("State")) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the container has stopped for good (it will not answer however long we wait). */
    static boolean stopped(JsonNode state) {
        String status = state.path("Status").asText("");
        return status.equals("exited") || status.equals("dead");
    }

    /** The container's state in a few words, for error messages; never throws. */
    String describeState(String id) {
        return state(id).map(DockerEngine::describe).orElse("state unknown");
    }

    static String describe(JsonNode state) {
        StringBuilder sb = new StringBuilder("state ").append(state.path("Status").asText("unknown"));
        if (state.has("ExitCode") && !state.path("Running").asBoolean()) {
            sb.append(", exit code ").append(state.path("ExitCode").asInt());
        }
        String err = state.path("Error").asText("");
        if (!err.isBlank()) {
            sb.append(", error: ").append(err);
        }
        return sb.toString();
    }

    private DockerException engineError(String action, UnixHttp.Response r) {
        String message = null;
        try {
            JsonNode node = Json.mapper().readTree(r.body());
            if (node != null && node.hasNonNull("message")) {
                message = node.get("message").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: fall back to the raw text below
        }
        if (message == null) {
            String text = r.bodyText().strip();
            message = text.isEmpty() ? "no message" : (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
        return new DockerException(r.status(), "Docker Engine refused to " + action + " (HTTP " + r.status() + "): "
                + message, null);
    }

    private static JsonNode parse(UnixHttp.Response r, String action) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new DockerException("Docker Engine sent unreadable JSON for " + action + ": " + e.getMessage(), e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    private static String min(String a, String b) {
        return compare(a, b) <= 0 ? a : b;
    }

    /** An image reference split the way /images/create wants it: repository, and a tag unless pinned by digest. */
    record ImageRef(String repository, String tag) {
        private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]*");

        static ImageRef parse(String image) {
            if (image == null || !VALID.matcher(image).matches()) {
                throw new IllegalArgumentException("not a valid Docker image reference: '" + image + "'");
            }
            if (image.contains("@")) {
                return new ImageRef(image, null); // fromImage takes a digest reference whole
            }
            int slash = image.lastIndexOf('/');
            int colon = image.lastIndexOf(':');
            if (colon > slash) {
                return new ImageRef(image.substring(0, colon), image.substring(colon + 1));
            }
            return new ImageRef(image, "latest");
        }

        String full() {
            return tag == null ? repository : repository + ":" + tag;
        }

        @Override
        public String toString() {
            return full();
        }
    }
}
