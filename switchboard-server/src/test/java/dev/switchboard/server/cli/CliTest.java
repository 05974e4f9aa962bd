package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.server.TestService;
import dev.switchboard.testkit.MockOpenAiServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user types it: against a running service, embedded from a config file, and failing clearly. */
class CliTest {
    static MockOpenAiServer upstream;
    static TestService service;

    @BeforeAll
    static void start() {
        upstream = MockOpenAiServer.start("k", "gpt-4o-mini", "llama3.2:3b");
        upstream.replyWith(p -> "a tale of " + p);
        service = TestService.start(TestService.endpointYaml("local-vllm", upstream.baseUrl(), "k") + """
                  models:
                    "llama3.2:3b": {is_free: true, cost_per_token: 0}
                    gpt-4o-mini: {cost_per_token: 0.0000006, context_length: 128000}
                server:
                  api_keys: [cli-key]
                """);
    }

    @AfterAll
    static void stop() {
        service.close();
        upstream.close();
    }

    record Result(int code, String out, String err) {}

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Result(code, out.toString(), err.toString());
    }

    static Map<String, String> remote() {
        return Map.of("SWITCHBOARD_URL", service.baseUrl(), "SWITCHBOARD_API_KEY", "cli-key");
    }

    @Test
    void modelsPrintsATableAndJson() {
        Result r = run(remote(), "models");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().findFirst().orElse("")).contains("MODEL").contains("PROVIDER").contains("CONTEXT");
        assertThat(r.out()).contains("gpt-4o-mini").contains("llama3.2:3b").contains("local-vllm").contains("128000")
                .contains("0.6000");
        Result free = run(remote(), "models", "--free");
        assertThat(free.out()).contains("llama3.2:3b").doesNotContain("gpt-4o-mini");
        Result json = run(remote(), "models", "--json");
        assertThat(Json.mapper().valueToTree(parse(json.out())).path("models").size()).isEqualTo(2);
    }

    static Object parse(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    @Test
    void generateStreamsTheAnswerToStdout() {
        Result r = run(remote(), "generate", "--model", "llama3.2:3b", "--max-tokens", "40", "-v", "the", "lighthouse");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("a tale of the lighthouse");
        assertThat(r.err()).contains("local-vllm:llama3.2:3b").contains("completion tokens");
        var sent = upstream.chatRequests().getLast().json();
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(40);
    }

    @Test
    void statusShowsProviders() {
        Result r = run(remote(), "status");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("initialized: true").contains("local-vllm").contains("custom_api").contains("yes");
        assertThat(run(remote(), "status", "--json").out()).contains("\"providers\"");
    }

    @Test
    void embeddedModeReadsAConfigFile(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sb.yaml");
        Files.writeString(config, TestService.endpointYaml("embedded", upstream.baseUrl(), "k"));
        Result r = run(Map.of(), "generate", "--config", config.toString(), "-m", "embedded:gpt-4o-mini", "once");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("a tale of once");
        Result models = run(Map.of(), "models", "-c", config.toString());
        assertThat(models.out()).contains("embedded");
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"serve", "models", "generate", "status"}) {
            Result r = run(Map.of(), cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: switchboard " + cmd);
        }
        assertThat(run(Map.of(), "--help").out()).contains("serve").contains("generate");
    }

    @Test
    void errorsAreOneLineWithExitCode2() throws Exception {
        Result unknownOption = run(Map.of(), "models", "--fancy");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err().lines().findFirst().orElse("")).contains("--fancy");

        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Result down = run(Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + deadPort), "models");
        assertThat(down.code()).isEqualTo(2);
        assertThat(down.err().strip()).startsWith("switchboard: error: cannot reach Switchboard").doesNotContain("\n");

        Result noKey = run(Map.of("SWITCHBOARD_URL", service.baseUrl()), "models");
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).contains("401").contains("API key");

        Map<String, String> env = new HashMap<>(remote());
        Result unknownModel = run(env, "generate", "-m", "nope", "hi");
        assertThat(unknownModel.code()).isEqualTo(2);
        assertThat(unknownModel.err()).contains("404").contains("nope");

        Result badTask = run(env, "generate", "--task", "poetry", "hi");
        assertThat(badTask.code()).isEqualTo(2);
        assertThat(badTask.err()).contains("task type");
    }

    @Test
    void serveRefusesUnsafeSetupsBeforeListening(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sb.yaml");
        Files.writeString(config, "model_management: {}\n");
        Result open = run(Map.of(), "serve", "-c", config.toString(), "--host", "0.0.0.0", "--port", "0");
        assertThat(open.code()).isEqualTo(2);
        assertThat(open.err()).contains("refusing to listen on 0.0.0.0 without API keys").contains("--insecure-no-auth");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "model_management:\n  health_check_interval_seconds: -5\n");
        Result invalid = run(Map.of(), "serve", "-c", bad.toString(), "--port", "0");
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.err()).contains("model_management.health_check_interval_seconds").contains("-5");

        Result missing = run(Map.of(), "serve", "-c", dir.resolve("nope.yaml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read configuration file");
    }
}
