package dev.switchboard.provider.ollama.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ManagedOllamaTest {
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private FakeDockerEngine engine;
    private HttpServer ollama;
    private volatile long readyAtNanos = Long.MAX_VALUE;
    private final AtomicInteger tagProbes = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        engine = new FakeDockerEngine(dir.resolve("docker.sock"));
        // Ollama comes up a moment after its container starts; until then /api/tags is not served.
        ollama = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ollama.createContext("/api/tags", ex -> {
            // The first probe is always turned away, so every test sees Ollama "starting" at least once.
            boolean ready = tagProbes.incrementAndGet() > 1 && System.nanoTime() - readyAtNanos >= 0;
            byte[] body = (ready ? "{\"models\":[]}" : "starting").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ready ? 200 : 503, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        ollama.start();
        engine.onStart = this::readySoon;
    }

    @AfterEach
    void tearDown() throws IOException {
        ollama.stop(0);
        engine.close();
    }

    private void readySoon() {
        readyAtNanos = System.nanoTime() + Duration.ofMillis(400).toNanos();
    }

    private int ollamaPort() {
        return ollama.getAddress().getPort();
    }

    private ManagedOllama.Settings settings(boolean gpu, Duration timeout) {
        return new ManagedOllama.Settings(engine.socket(), "ollama/ollama:latest", "switchboard-ollama", ollamaPort(),
                "switchboard-ollama:/root/.ollama", gpu, timeout);
    }

    @Test
    void aRunningContainerIsUsedAsItIsOnItsPublishedPort() {
        engine.addContainer("run1", "switchboard-ollama", "running", ollamaPort());
        engine.addContainer("other", "switchboard-ollama-old", "running", 1);
        readySoon();
        // The configured port differs: the container's actual published port wins.
        var s = new ManagedOllama.Settings(engine.socket(), null, "switchboard-ollama", 1, "", false, GENEROUS);

        String url = ManagedOllama.ensureRunning(s);

        assertThat(url).isEqualTo("http://127.0.0.1:" + ollamaPort());
        assertThat(engine.routes()).containsExactly("GET /_ping", "GET /containers/json");
        FakeDockerEngine.Request list = engine.requests.get(1);
        assertThat(list.target()).startsWith("/v1.45/containers/json?");
        assertThat(list.query()).containsEntry("all", "true");
        assertThat(list.query().get("filters")).isEqualTo("{\"name\":[\"^/switchboard-ollama$\"]}");
        assertThat(tagProbes.get()).isGreaterThanOrEqualTo(2); // it waited through the 503s
    }

    @Test
    void aStoppedContainerIsStarted() {
        engine.addContainer("stopped1", "switchboard-ollama", "exited", ollamaPort());

        String url = ManagedOllama.ensureRunning(settings(false, GENEROUS));

        assertThat(url).isEqualTo("http://127.0.0.1:" + ollamaPort());
        assertThat(engine.routes()).containsExactly("GET /_ping", "GET /containers/json",
                "POST /containers/stopped1/start");
        assertThat(engine.requests.get(2).target()).isEqualTo("/v1.45/containers/stopped1/start");
        assertThat(engine.containers.get("stopped1").state).isEqualTo("running");
    }

    @Test
    void aFreshInstallPullsCreatesStartsAndWaitsWithTheGpuRequested() {
        String url = ManagedOllama.ensureRunning(settings(true, GENEROUS));

        assertThat(url).isEqualTo("http://127.0.0.1:" + ollamaPort());
        assertThat(engine.routes()).containsExactly(
                "GET /_ping",
                "GET /containers/json",
                "GET /images/ollama/ollama:latest/json",
                "POST /images/create",
                "POST /containers/create",
                "POST /containers/c0ffee1/start");
        FakeDockerEngine.Request pull = engine.only("POST", "/images/create");
        assertThat(pull.query()).containsEntry("fromImage", "ollama/ollama").containsEntry("tag", "latest");
        assertThat(engine.images).contains("ollama/ollama:latest");

        FakeDockerEngine.Request create = engine.only("POST", "/containers/create");
        assertThat(create.query()).containsEntry("name", "switchboard-ollama");
        JsonNode spec = create.json();
        assertThat(spec.path("Image").asText()).isEqualTo("ollama/ollama:latest");
        assertThat(spec.path("ExposedPorts").has("11434/tcp")).isTrue();
        JsonNode host = spec.path("HostConfig");
        JsonNode binding = host.path("PortBindings").path("11434/tcp").path(0);
        assertThat(binding.path("HostIp").asText()).isEqualTo("127.0.0.1");
        assertThat(binding.path("HostPort").asText()).isEqualTo(Integer.toString(ollamaPort()));
        assertThat(host.path("Binds")).hasSize(1);
        assertThat(host.path("Binds").path(0).asText()).isEqualTo("switchboard-ollama:/root/.ollama");
        assertThat(host.path("DeviceRequests")).hasSize(1);
        JsonNode gpu = host.path("DeviceRequests").path(0);
        assertThat(gpu.path("Driver").asText()).isEqualTo("nvidia");
        assertThat(gpu.path("Count").asInt()).isEqualTo(-1);
        assertThat(Json.string(gpu.path("Capabilities"))).isEqualTo("[[\"gpu\"]]");
        assertThat(tagProbes.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void withoutAGpuThereIsNoDeviceRequestAndAPresentImageIsNotPulled() {
        engine.images.add("ollama/ollama:0.5.7");
        var s = new ManagedOllama.Settings(engine.socket(), "ollama/ollama:0.5.7", "switchboard-ollama", ollamaPort(),
                "/srv/ollama:/root/.ollama", false, GENEROUS);

        ManagedOllama.ensureRunning(s);

        assertThat(engine.routes()).containsExactly("GET /_ping", "GET /containers/json",
                "GET /images/ollama/ollama:0.5.7/json", "POST /containers/create", "POST /containers/c0ffee1/start");
        JsonNode host = engine.only("POST", "/containers/create").json().path("HostConfig");
        assertThat(host.has("DeviceRequests")).isFalse();
        assertThat(host.path("Binds").path(0).asText()).isEqualTo("/srv/ollama:/root/.ollama");
    }

    @Test
    void anEngineErrorMessageIsSurfaced() {
        engine.images.add("ollama/ollama:latest");
        engine.createStatus = 500;
        engine.createMessage = "driver failed programming external connectivity: port is already allocated";

        assertThatThrownBy(() -> ManagedOllama.ensureRunning(settings(false, GENEROUS)))
                .isInstanceOf(DockerException.class)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("create container 'switchboard-ollama'")
                .hasMessageContaining("HTTP 500")
                .hasMessageContaining("port is already allocated")
                .satisfies(e -> assertThat(((DockerException) e).status()).isEqualTo(500));
        assertThat(engine.routes()).doesNotContain("POST /containers/c0ffee1/start");
    }

    @Test
    void aGpuTheHostCannotProvideFailsWithAHint() {
        engine.images.add("ollama/ollama:latest");
        engine.startStatus = 500;
        engine.startMessage = "could not select device driver \"nvidia\" with capabilities: [[gpu]]";

        assertThatThrownBy(() -> ManagedOllama.ensureRunning(settings(true, GENEROUS)))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("start container 'switchboard-ollama'")
                .hasMessageContaining("could not select device driver")
                .hasMessageContaining("NVIDIA Container Toolkit");
    }

    @Test
    void aContainerCreatedBySomeoneElseMeanwhileIsUsed() {
        engine.images.add("ollama/ollama:latest");
        engine.raceOnCreate = true;

        String url = ManagedOllama.ensureRunning(settings(false, GENEROUS));

        assertThat(url).isEqualTo("http://127.0.0.1:" + ollamaPort());
        assertThat(engine.routes()).containsExactly("GET /_ping", "GET /containers/json",
                "GET /images/ollama/ollama:latest/json", "POST /containers/create", "GET /containers/json",
                "POST /containers/theirs/start");
    }

    @Test
    void anErrorInsideThePullStreamFailsThePull() {
        engine.pullError = "manifest for ollama/ollama:nope not found: manifest unknown";
        var s = new ManagedOllama.Settings(engine.socket(), "ollama/ollama:nope", null, ollamaPort(), null, false,
                GENEROUS);

        assertThatThrownBy(() -> ManagedOllama.ensureRunning(s))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("could not pull image ollama/ollama:nope")
                .hasMessageContaining("manifest unknown");
        assertThat(engine.routes()).doesNotContain("POST /containers/create");
    }

    @Test
    void aMissingSocketSaysDockerIsNotReachable() {
        Path missing = dir.resolve("no-such-docker.sock");
        var s = new ManagedOllama.Settings(missing, null, null, ollamaPort(), null, false, GENEROUS);

        assertThatThrownBy(() -> ManagedOllama.ensureRunning(s))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("Docker is not reachable at " + missing);
    }

    @Test
    void aSocketNobodyListensOnSaysDockerIsNotReachable() throws IOException {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale)); // closed at once: the file stays, nobody listens
        }
        assertThat(stale).exists();
        var s = new ManagedOllama.Settings(stale, null, null, ollamaPort(), null, false, GENEROUS);

        assertThatThrownBy(() -> ManagedOllama.ensureRunning(s))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("Docker is not reachable at " + stale);
    }

    @Test
    void ollamaThatNeverAnswersTimesOutNamingTheContainerAndTheLastFailure() throws IOException {
        int deadPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = free.getLocalPort();
        }
        engine.addContainer("stuck1", "switchboard-ollama", "running", deadPort);

        assertThatThrownBy(() -> ManagedOllama.ensureRunning(settings(false, Duration.ofSeconds(1))))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("container 'switchboard-ollama'")
                .hasMessageContaining("http://127.0.0.1:" + deadPort + "/api/tags")
                .hasMessageContaining("last failure: ConnectException")
                .hasMessageContaining("state running");
    }

    @Test
    void aContainerThatExitsIsReportedWithoutWaitingOutTheTimeout() {
        engine.addContainer("crash1", "switchboard-ollama", "exited", ollamaPort());
        engine.crashOnStart = true;
        engine.onStart = () -> {}; // Ollama never comes up

        assertThatThrownBy(() -> ManagedOllama.ensureRunning(settings(false, Duration.ofMinutes(5))))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("container 'switchboard-ollama' stopped (state exited, exit code 1)")
                .hasMessageContaining("docker logs switchboard-ollama");
    }

    @Test
    void ollamaAnsweringOnlyErrorsTimesOutWithTheLastStatus() {
        engine.addContainer("sick1", "switchboard-ollama", "running", ollamaPort());
        // never ready: every probe gets a 503

        assertThatThrownBy(() -> ManagedOllama.ensureRunning(settings(false, Duration.ofSeconds(1))))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("last failure: HTTP 503")
                .hasMessageContaining("docker logs switchboard-ollama");
    }

    @Test
    void theApiVersionIsCappedAtTheNewestThisClientKnows() {
        engine.apiVersion = "1.51";
        engine.addContainer("run1", "switchboard-ollama", "running", ollamaPort());
        readySoon();

        ManagedOllama.ensureRunning(settings(false, GENEROUS));

        assertThat(engine.requests.get(1).target()).startsWith("/v" + DockerEngine.MAX_API_VERSION + "/");
    }

    @Test
    void anOlderDaemonIsSpokenToInItsOwnVersion() {
        engine.apiVersion = "1.41";
        engine.addContainer("run1", "switchboard-ollama", "running", ollamaPort());
        readySoon();

        ManagedOllama.ensureRunning(settings(true, GENEROUS));

        assertThat(engine.requests.get(1).target()).startsWith("/v1.41/");
    }

    @Test
    void settingsDefaultAndRejectNamesThatCannotBeContainerNames() {
        var d = new ManagedOllama.Settings(null, null, null, 0, null, false, null);
        assertThat(d.volume()).isEqualTo("switchboard-ollama:/root/.ollama");
        assertThat(new ManagedOllama.Settings(null, null, null, 0, " ", false, null).volume()).isNull();
        assertThat(d.dockerSocket()).isEqualTo(Path.of("/var/run/docker.sock"));
        assertThat(d.image()).isEqualTo("ollama/ollama:latest");
        assertThat(d.containerName()).isEqualTo("switchboard-ollama");
        assertThat(d.hostPort()).isEqualTo(11434);
        assertThat(d.startTimeout()).isPositive();
        assertThatThrownBy(() -> new ManagedOllama.Settings(null, null, "bad name\r\n", 0, null, false, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ManagedOllama.Settings(null, "ollama ollama", null, 0, null, false, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void imageReferencesSplitIntoRepositoryAndTag() {
        assertThat(DockerEngine.ImageRef.parse("ollama/ollama"))
                .isEqualTo(new DockerEngine.ImageRef("ollama/ollama", "latest"));
        assertThat(DockerEngine.ImageRef.parse("localhost:5000/ollama:0.5"))
                .isEqualTo(new DockerEngine.ImageRef("localhost:5000/ollama", "0.5"));
        assertThat(DockerEngine.ImageRef.parse("localhost:5000/ollama"))
                .isEqualTo(new DockerEngine.ImageRef("localhost:5000/ollama", "latest"));
        assertThat(DockerEngine.ImageRef.parse("ollama/ollama@sha256:abcd").tag()).isNull();
    }
}
