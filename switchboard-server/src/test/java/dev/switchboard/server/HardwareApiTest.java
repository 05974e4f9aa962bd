package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.hardware.GpuInfo;
import dev.switchboard.hardware.HardwareDetector;
import dev.switchboard.hardware.HardwareInfo;
import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.routing.Routing;
import dev.switchboard.server.cli.SwitchboardCli;
import dev.switchboard.testkit.MockLmStudioServer;
import dev.switchboard.testkit.MockLmStudioServer.Model;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /models/system}, {@code /models/recommendations} (the seed's list) and {@code /models/recommendations/details},
 * {@code /status.system_resources} and the {@code hw} and
 * {@code recommend} commands, over HTTP, on a machine fixed by the test: 32 GB of RAM with 20 available, one 8 GB
 * NVIDIA GPU, and an LM Studio holding a 7B and a 70B model.
 */
class HardwareApiTest {
    static final HardwareInfo MACHINE = new HardwareInfo("Linux", "x86_64", "Test CPU 9000", 12, 32, 20, 250,
            List.of(new GpuInfo(0, "NVIDIA GeForce RTX 4060", "NVIDIA", 8188, 7900, false)), Instant.parse("2025-01-01T00:00:00Z"));
    static MockLmStudioServer lmStudio;
    static ModelManager manager;
    static SwitchboardServer server;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start(@TempDir Path home) {
        lmStudio = MockLmStudioServer.start(null, Model.llm("qwen2.5-7b-instruct").quantization("Q4_K_M"),
                Model.llm("meta-llama-3.1-70b-instruct"));
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", home.toString());
        SwitchboardConfig config = ConfigLoader.parse("""
                model_management:
                  health_check_interval_seconds: 3600
                  providers:
                    lm_studio:
                      base_url: %s
                """.formatted(lmStudio.baseUrl()), "test", env).config();
        manager = ModelManager.builder(config.modelManagement()).env(env).hardware(HardwareDetector.fixed(MACHINE)).build();
        manager.start();
        server = new SwitchboardServer(manager, config.server().withListen("127.0.0.1", 0)).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        manager.stop();
        lmStudio.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void systemShowsTheMachineItsTiersAndHowModelsFit() throws Exception {
        HttpResponse<String> r = get("/api/v1/models/system");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = json(r);
        JsonNode res = s.get("system_resources");
        assertThat(res.get("cpu_model").asText()).isEqualTo("Test CPU 9000");
        assertThat(res.get("cpu_cores").asInt()).isEqualTo(12);
        assertThat(res.get("total_ram_gb").asDouble()).isEqualTo(32.0);
        assertThat(res.get("available_ram_gb").asDouble()).isEqualTo(20.0);
        assertThat(res.get("gpu_count").asInt()).isEqualTo(1);
        assertThat(res.get("has_gpu").asBoolean()).isTrue();
        assertThat(res.get("gpu_info").get(0).get("name").asText()).isEqualTo("NVIDIA GeForce RTX 4060");
        assertThat(res.get("gpu_info").get(0).get("memory_gb").asDouble()).isEqualTo(8.0);
        assertThat(s.get("tiers").get("ram_tier").asText()).isEqualTo("mid_range");
        assertThat(s.get("tiers").get("gpu_tier").asText()).isEqualTo("low_vram");
        assertThat(s.get("size_classes").get(0).get("compatible").asBoolean()).isTrue();
        assertThat(s.get("size_classes").get(s.get("size_classes").size() - 1).get("compatible").asBoolean()).isFalse();
        JsonNode local = s.get("local_models");
        assertThat(local.size()).isEqualTo(2);
        JsonNode qwen = local.get(0);
        assertThat(qwen.get("model_id").asText()).isEqualTo("qwen2.5-7b-instruct");
        assertThat(qwen.get("compatible").asBoolean()).isTrue();
        assertThat(qwen.get("gpu").asBoolean()).isTrue();
        assertThat(qwen.get("requirements").get("ram_gb").asDouble()).isEqualTo(14.0);
        assertThat(qwen.get("requirements").get("source").asText()).isEqualTo("table");
        JsonNode llama = local.get(1);
        assertThat(llama.get("compatible").asBoolean()).isFalse();
        assertThat(llama.get("warnings").get(0).asText()).isEqualTo("needs 140.0 GB RAM, 20.0 GB available");
        assertThat(s.get("recommendations").get(0).asText()).isEqualTo("qwen2.5-7b-instruct");
    }

    /**
     * The seed's {@code recommend_models} rule on this machine (20 GB available, an 8 GB GPU): the 16 GB tier's list
     * (llama-3.1-8b, qwen2.5-7b, phi-3-medium, mistral-7b), qwen2.5-7b put first for a GPU of 6 GB or more,
     * duplicates dropped; for narrative generation its favourites (claude-3-haiku, llama-3.1-8b, qwen2.5-7b) ahead
     * of the rest. A bare JSON list of ids, as the seed's {@code response_model=list[str]}; installed models are
     * only in the details.
     */
    @Test
    void recommendationsAreTheSeedsListOfIdsInTheSeedsOrder() throws Exception {
        HttpResponse<String> r = get("/api/v1/models/recommendations?task_type=general_chat");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        assertThat(r.body()).isEqualTo("[\"qwen/qwen2.5-7b-instruct\",\"meta-llama/llama-3.1-8b-instruct\","
                + "\"microsoft/phi-3-medium-4k-instruct\",\"mistralai/mistral-7b-instruct\"]");
        assertThat(json(get("/api/v1/models/recommendations?task_type=narrative_generation")).toString())
                .isEqualTo("[\"anthropic/claude-3-haiku\",\"meta-llama/llama-3.1-8b-instruct\",\"qwen/qwen2.5-7b-instruct\","
                        + "\"microsoft/phi-3-medium-4k-instruct\",\"mistralai/mistral-7b-instruct\"]");
        assertThat(json(get("/api/v1/models/recommendations?task_type=therapeutic_response")).toString())
                .isEqualTo("[\"anthropic/claude-3-haiku\",\"openai/gpt-4o-mini\",\"meta-llama/llama-3.1-8b-instruct\","
                        + "\"qwen/qwen2.5-7b-instruct\",\"microsoft/phi-3-medium-4k-instruct\",\"mistralai/mistral-7b-instruct\"]");
        assertThat(get("/api/v1/models/recommendations").body()).isEqualTo(r.body());
    }

    @Test
    void recommendationDetailsPutWhatIsInstalledAndFitsFirst() throws Exception {
        HttpResponse<String> r = get("/api/v1/models/recommendations/details?task_type=narrative_generation");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("task_type").asText()).isEqualTo("narrative_generation");
        assertThat(body.get("recommendations").get(0).asText()).isEqualTo("qwen2.5-7b-instruct");
        assertThat(body.get("recommendations").get(1).asText()).isEqualTo("anthropic/claude-3-haiku");
        JsonNode first = body.get("models").get(0);
        assertThat(first.get("present").asBoolean()).isTrue();
        assertThat(first.get("provider").asText()).isEqualTo("lm_studio");
        assertThat(first.get("reason").asText()).contains("installed here and fits the GPU");
        assertThat(body.get("recommendations").toString()).doesNotContain("meta-llama-3.1-70b-instruct");
        assertThat(json(get("/api/v1/models/recommendations/details")).get("task_type").asText()).isEqualTo("general_chat");
    }

    @Test
    void anUnknownTaskTypeIs400WithDetail() throws Exception {
        HttpResponse<String> r = get("/api/v1/models/recommendations?task_type=poetry");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        assertThat(json(r).get("detail").asText()).contains("poetry").contains("narrative_generation");
        assertThat(get("/api/v1/models/recommendations?task_type=").statusCode()).isEqualTo(400);
        HttpResponse<String> details = get("/api/v1/models/recommendations/details?task_type=poetry");
        assertThat(details.statusCode()).isEqualTo(400);
        assertThat(json(details).get("detail").asText()).contains("poetry");
    }

    @Test
    void statusCarriesTheSeedsSystemResources() throws Exception {
        JsonNode res = json(get("/api/v1/models/status")).get("system_resources");

        assertThat(res.get("total_ram_gb").asDouble()).isEqualTo(32.0);
        assertThat(res.get("available_ram_gb").asDouble()).isEqualTo(20.0);
        assertThat(res.get("cpu_cores").asInt()).isEqualTo(12);
        assertThat(res.get("gpu_count").asInt()).isEqualTo(1);
        assertThat(res.get("total_gpu_memory_gb").asDouble()).isEqualTo(8.0);
        assertThat(res.get("disk_space_gb").asDouble()).isEqualTo(250.0);
        assertThat(res.get("platform").asText()).isEqualTo("Linux");
    }

    record Result(int code, String out, String err) {}

    static Result cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Result(code, out.toString(), err.toString());
    }

    static Map<String, String> remote() {
        return Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + server.port());
    }

    @Test
    void hwPrintsTheMachineTheSizeClassesAndTheInstalledModels() {
        Result r = cli(remote(), "hw");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Platform  Linux x86_64").contains("CPU       Test CPU 9000 (12 logical cores)")
                .contains("RAM       32.0 GB total, 20.0 GB available")
                .contains("Tier      mid_range, GPU low_vram: medium models (7B-8B); the GPU takes small to 7B models");
        assertThat(r.out()).containsPattern("GPU\\s+NAME\\s+VENDOR\\s+MEMORY").contains("NVIDIA GeForce RTX 4060");
        assertThat(r.out()).containsPattern("MODEL SIZE\\s+NEEDS RAM\\s+NEEDS VRAM\\s+FITS\\s+ON GPU");
        assertThat(r.out()).containsPattern("qwen2.5-7b-instruct\\s+lm_studio\\s+14.0 GB\\s+7.0 GB\\s+table\\s+yes \\(GPU\\)");
        assertThat(r.out()).containsPattern("meta-llama-3.1-70b-instruct\\s+lm_studio\\s+140.0 GB.*NO\\s+needs 140.0 GB RAM");
        Result json = cli(remote(), "hw", "--json");
        assertThat(json.out()).contains("\"system_resources\"");
    }

    @Test
    void recommendPrintsARankedTable() {
        Result r = cli(remote(), "recommend", "--task", "narrative_generation");

        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).contains("Task: narrative_generation").contains("Machine: mid_range (20.0 GB RAM available), GPU low_vram");
        assertThat(r.out()).containsPattern("#\\s+MODEL\\s+PROVIDER\\s+INSTALLED\\s+FITS\\s+NEEDS RAM\\s+NEEDS VRAM\\s+WHY");
        assertThat(r.out()).containsPattern("1\\s+qwen2.5-7b-instruct\\s+lm_studio\\s+yes\\s+yes\\s+14.0 GB");
        assertThat(r.out()).containsPattern("2\\s+anthropic/claude-3-haiku\\s+-\\s+no\\s+cloud");
        Result bad = cli(remote(), "recommend", "--task", "poetry");
        assertThat(bad.code()).isEqualTo(SwitchboardCli.EXIT_ERROR);
        assertThat(bad.err()).contains("poetry");
    }

    @Test
    void embeddedCommandsDetectThisMachine(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("switchboard.yaml"), "model_management:\n  providers: {}\n");
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", dir.toString());

        Result hw = cli(env, "hw", "--config", config.toString());
        assertThat(hw.code()).as(hw.err()).isZero();
        assertThat(hw.out()).contains("Platform").contains("logical cores").contains("No local models installed");

        Result rec = cli(env, "recommend", "-c", config.toString(), "--task", "dialogue_generation");
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(rec.out()).contains("Task: dialogue_generation");
        Result bad = cli(env, "recommend", "-c", config.toString(), "--task", "poetry");
        assertThat(bad.code()).isEqualTo(SwitchboardCli.EXIT_ERROR);
    }

    @Test
    void hwAndRecommendAnswerInProcessWhenNoServiceRunsHereAndSaySo(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("switchboard.yaml"), "model_management:\n  providers: {}\n");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", dir.toString(), "SWITCHBOARD_CONFIG", config.toString(),
                "SWITCHBOARD_URL", "http://127.0.0.1:" + closed);

        Result hw = cli(env, "hw");
        assertThat(hw.code()).as(hw.err()).isZero();
        assertThat(hw.out()).contains("Platform").contains("logical cores");
        assertThat(hw.err()).contains("no service at http://127.0.0.1:" + closed)
                .contains("answered in-process (configuration: " + config + ")");

        Result rec = cli(env, "recommend", "--task", "dialogue_generation", "--json");
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(Json.mapper().readTree(rec.out()).get("task_type").asText()).isEqualTo("dialogue_generation");
        assertThat(rec.err()).contains("answered in-process");

        // status describes a service, so it has nothing to answer in-process
        Result status = cli(env, "status");
        assertThat(status.code()).isEqualTo(SwitchboardCli.EXIT_ERROR);
        assertThat(status.err()).contains("cannot reach Switchboard at http://127.0.0.1:" + closed);

        // with a service, it says so
        Result remote = cli(remote(), "hw");
        assertThat(remote.err()).contains("answered by the service at http://127.0.0.1:" + server.port());
    }
}
