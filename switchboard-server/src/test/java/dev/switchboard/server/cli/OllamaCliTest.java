package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.TestService;
import dev.switchboard.testkit.MockOllamaServer;
import dev.switchboard.testkit.MockOllamaServer.Model;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard pull} and {@code switchboard rm} against a service and embedded, with Ollama behind them. */
class OllamaCliTest {
    static MockOllamaServer ollama;
    static TestService service;

    static String yaml() {
        return """
                model_management:
                  default_provider: ollama
                  health_check_interval_seconds: 3600
                  providers:
                    ollama:
                      base_url: %s
                      use_docker: false
                """.formatted(ollama.baseUrl());
    }

    @BeforeAll
    static void start() {
        ollama = MockOllamaServer.start(Model.chat("llama3.2:3b"))
                .pullable(Model.chat("qwen2.5:0.5b"), Model.chat("gemma3:1b"))
                .pullTakes(Duration.ofMillis(400), 10);
        service = TestService.start(yaml());
    }

    @AfterAll
    static void stop() {
        service.close();
        ollama.close();
    }

    record Result(int code, String out, String err) {}

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Result(code, out.toString(), err.toString());
    }

    static Map<String, String> remote() {
        return Map.of("SWITCHBOARD_URL", service.baseUrl());
    }

    @Test
    void pullPrintsPlainProgressLinesWhenNotOnATerminal() {
        Result r = run(remote(), "pull", "ollama:qwen2.5:0.5b");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("pulling manifest");
        assertThat(lines).contains("verifying sha256 digest", "writing manifest", "success", "pulled ollama:qwen2.5:0.5b");
        List<String> bars = lines.stream().filter(l -> l.startsWith("pulling ") && l.contains("[")).toList();
        assertThat(bars).isNotEmpty();
        assertThat(bars.getLast()).contains("100%").contains("1.9 GB / 1.9 GB").contains("done");
        assertThat(r.out()).doesNotContain("\r");
        assertThat(ollama.has("qwen2.5:0.5b")).isTrue();
    }

    @Test
    void pullAndRmEmbedded(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("switchboard.yaml"), yaml());
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", dir.toString());
        Result r = run(env, "pull", "-c", config.toString(), "--progress", "bar", "gemma3:1b");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\r").contains("100%").endsWith("pulled ollama:gemma3:1b" + System.lineSeparator());
        r = run(env, "rm", "-c", config.toString(), "ollama:gemma3:1b");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("deleted ollama:gemma3:1b");
        assertThat(ollama.has("gemma3:1b")).isFalse();
    }

    @Test
    void rmOfAMissingModelAndPullOfAnUnknownOneFailWithOneLine() {
        Result r = run(remote(), "rm", "ollama:not-there");
        assertThat(r.code()).isEqualTo(SwitchboardCli.EXIT_ERROR);
        assertThat(r.err()).contains("not downloaded");
        r = run(remote(), "pull", "no-such-model");
        assertThat(r.code()).isEqualTo(SwitchboardCli.EXIT_ERROR);
        assertThat(r.err()).contains("file does not exist");
    }

    @Test
    void theBarShowsBytesPercentRateAndEta() {
        AtomicLong clock = new AtomicLong();
        StringWriter sink = new StringWriter();
        PullProgressBar bar = new PullProgressBar(new PrintWriter(sink), true, clock::get);
        long total = 2_000L * 1024 * 1024;
        for (int i = 0; i <= 4; i++) {
            clock.set(i * 1_000_000_000L);
            bar.update(new dev.switchboard.provider.PullProgress.Update("downloading sha256:abcdef0123456789", "sha256:abcdef0123456789",
                    total, i * 100L * 1024 * 1024));
        }
        bar.finish();
        String out = sink.toString();
        assertThat(out).contains("\rpulling abcdef012345  20% [====>").contains("400.0 MB / 2.0 GB  100.0 MB/s  ETA 0:16");
        assertThat(PullProgressBar.line("sha256:x", 0, 10, -1)).contains("ETA --:--").contains("  0%");
        assertThat(PullProgressBar.duration(3725)).isEqualTo("1:02:05");
    }
}
