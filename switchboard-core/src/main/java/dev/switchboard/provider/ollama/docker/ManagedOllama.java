package dev.switchboard.provider.ollama.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds or runs the Ollama container through the Docker Engine API (the seed's {@code use_docker: true}) and
 * waits until Ollama answers {@code GET /api/tags}. Sequence: ping → find the container by name → use it if
 * running, start it if stopped, otherwise pull the image when missing, create and start it → poll /api/tags.
 */
public final class ManagedOllama {
    private static final Logger log = LoggerFactory.getLogger(ManagedOllama.class);

    /** Ollama's port inside the container. */
    public static final int OLLAMA_PORT = 11434;
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    public static final String DEFAULT_IMAGE = "ollama/ollama:latest";
    public static final String DEFAULT_CONTAINER = "switchboard-ollama";
    public static final String DEFAULT_VOLUME = "switchboard-ollama:/root/.ollama";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    // A container that crashed will never answer: look at it now and then instead of waiting out the timeout.
    private static final Duration STATE_CHECK_INTERVAL = Duration.ofSeconds(2);

    /**
     * @param dockerSocket  the Engine's unix socket; null means {@code /var/run/docker.sock}
     * @param image         the seed's {@code docker_image}; null means {@code ollama/ollama:latest}
     * @param containerName the container to find or create; null means {@code switchboard-ollama}
     * @param hostPort      loopback port Ollama is published on; 0 or less means 11434
     * @param volume        a bind or named volume for the models, {@code source:/root/.ollama}; null means the
     *                      named volume {@code switchboard-ollama:/root/.ollama}, blank means none (pulled models
     *                      are then lost with the container)
     * @param gpu           request all NVIDIA GPUs for the container
     * @param startTimeout  how long to wait for /api/tags once the container runs (an image pull has its own,
     *                      much longer limit); null means 120 s
     */
    public record Settings(Path dockerSocket, String image, String containerName, int hostPort, String volume,
                           boolean gpu, Duration startTimeout) {
        public Settings {
            dockerSocket = dockerSocket == null ? DEFAULT_SOCKET : dockerSocket;
            image = image == null || image.isBlank() ? DEFAULT_IMAGE : image.strip();
            containerName = containerName == null || containerName.isBlank()
                    ? DEFAULT_CONTAINER : containerName.strip();
            hostPort = hostPort <= 0 ? OLLAMA_PORT : hostPort;
            volume = volume == null ? DEFAULT_VOLUME : volume.isBlank() ? null : volume.strip();
            startTimeout = startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()
                    ? DEFAULT_START_TIMEOUT : startTimeout;
            if (!CONTAINER_NAME.matcher(containerName).matches()) {
                throw new IllegalArgumentException("not a valid Docker container name: '" + containerName + "'");
            }
            if (hostPort > 65535) {
                throw new IllegalArgumentException("host port out of range: " + hostPort);
            }
            DockerEngine.ImageRef.parse(image); // fail at configuration time, not mid-start
        }

        /** Defaults everywhere: the standard socket, image, name, port and volume, no GPU. */
        public static Settings defaults() {
            return new Settings(null, null, null, 0, null, false, null);
        }
    }

    private ManagedOllama() {}

    /**
     * Makes sure the managed container runs and Ollama answers, and returns its base URL
     * ({@code http://127.0.0.1:<port>}).
     *
     * @throws DockerException (an IllegalStateException) when Docker is unreachable, refuses a call, or Ollama
     *                         does not answer within {@link Settings#startTimeout()}; the message names the socket
     *                         or container and the last failure
     */
    public static String ensureRunning(Settings s) {
        Objects.requireNonNull(s, "settings");
        DockerEngine engine = new DockerEngine(s.dockerSocket());
        engine.ping(s.gpu());

        String id;
        int port = s.hostPort();
        var existing = engine.findContainer(s.containerName(), OLLAMA_PORT);
        if (existing.isPresent() && existing.get().running()) {
            id = existing.get().id();
            port = existing.get().publishedPort().orElse(port);
            log.info("Using running Ollama container '{}' on port {}", s.containerName(), port);
        } else if (existing.isPresent()) {
            id = existing.get().id();
            port = existing.get().publishedPort().orElse(port);
            log.info("Starting stopped Ollama container '{}'", s.containerName());
            engine.start(id, s.containerName());
        } else {
            id = createAndStart(engine, s);
        }

        String baseUrl = "http://127.0.0.1:" + port;
        awaitReady(engine, s, id, baseUrl);
        return baseUrl;
    }

    private static String createAndStart(DockerEngine engine, Settings s) {
        DockerEngine.ImageRef ref = DockerEngine.ImageRef.parse(s.image());
        if (!engine.imageExists(ref.full())) {
            engine.pull(ref);
        }
        log.info("Creating Ollama container '{}' from {} on 127.0.0.1:{}{}", s.containerName(), ref, s.hostPort(),
                s.gpu() ? " with all NVIDIA GPUs" : "");
        DockerEngine.CreateResult created = engine.create(s.containerName(), containerSpec(s, ref));
        String id = created.id();
        if (created.conflict()) {
            // Another Switchboard (or a person) created it between our lookup and create: use theirs.
            id = engine.findContainer(s.containerName(), OLLAMA_PORT)
                    .orElseThrow(() -> new DockerException("Docker reported container '" + s.containerName()
                            + "' as existing, but it cannot be found"))
                    .id();
        }
        try {
            engine.start(id, s.containerName());
        } catch (DockerException e) {
            if (s.gpu() && e.getMessage().contains("nvidia")) {
                throw new DockerException(e.status(), e.getMessage() + ". The container asks for all NVIDIA GPUs:"
                        + " install the NVIDIA Container Toolkit, or turn the GPU off and remove container '"
                        + s.containerName() + "' so it is recreated without one", e);
            }
            throw e;
        }
        return id;
    }

    static ObjectNode containerSpec(Settings s, DockerEngine.ImageRef ref) {
        String portKey = OLLAMA_PORT + "/tcp";
        ObjectNode spec = Json.mapper().createObjectNode();
        spec.put("Image", ref.full());
        spec.putObject("ExposedPorts").putObject(portKey);
        ObjectNode host = spec.putObject("HostConfig");
        // Loopback only: Ollama has no authentication of its own.
        host.putObject("PortBindings").putArray(portKey).addObject()
                .put("HostIp", "127.0.0.1")
                .put("HostPort", Integer.toString(s.hostPort()));
        if (s.volume() != null) {
            host.putArray("Binds").add(s.volume());
        }
        host.putObject("RestartPolicy").put("Name", "unless-stopped");
        if (s.gpu()) {
            ObjectNode gpu = host.putArray("DeviceRequests").addObject();
            gpu.put("Driver", "nvidia");
            gpu.put("Count", -1);
            ArrayNode caps = gpu.putArray("Capabilities");
            caps.addArray().add("gpu");
        }
        return spec;
    }

    private static void awaitReady(DockerEngine engine, Settings s, String id, String baseUrl) {
        URI tags = URI.create(baseUrl + "/api/tags");
        long deadline = System.nanoTime() + s.startTimeout().toNanos();
        String lastFailure = "no answer yet";
        long nextStateCheck = System.nanoTime() + STATE_CHECK_INTERVAL.toNanos();
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(PROBE_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            while (true) {
                try {
                    HttpRequest probe = HttpRequest.newBuilder(tags).timeout(PROBE_TIMEOUT).GET().build();
                    HttpResponse<Void> r = client.send(probe, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        log.info("Ollama in container '{}' answers at {}", s.containerName(), baseUrl);
                        return;
                    }
                    lastFailure = "HTTP " + r.statusCode();
                } catch (IOException e) {
                    lastFailure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                if (System.nanoTime() - nextStateCheck >= 0) {
                    nextStateCheck = System.nanoTime() + STATE_CHECK_INTERVAL.toNanos();
                    var state = engine.state(id);
                    if (state.isPresent() && DockerEngine.stopped(state.get())) {
                        throw new DockerException("Ollama container '" + s.containerName() + "' stopped ("
                                + DockerEngine.describe(state.get()) + ") before it answered GET " + tags
                                + "; last failure: " + lastFailure + ". Check `docker logs " + s.containerName()
                                + "`.");
                    }
                }
                Thread.sleep(POLL_INTERVAL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("Interrupted while waiting for Ollama in container '" + s.containerName()
                    + "'", e);
        }
        throw new DockerException("Ollama in Docker container '" + s.containerName() + "' (" + engine.describeState(id)
                + ") did not answer GET " + tags + " within " + s.startTimeout().toSeconds() + " s; last failure: "
                + lastFailure + ". Check `docker logs " + s.containerName() + "`, or raise the start timeout.");
    }
}
