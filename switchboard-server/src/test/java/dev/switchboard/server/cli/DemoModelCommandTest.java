package dev.switchboard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.local.DemoModel;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.model.ChatRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Out of the box: `switchboard demo-model`, and what `serve` does on a fresh machine without a configuration file. */
class DemoModelCommandTest {

    @Test
    void demoModelCommandWritesIntoTheModelsDirectory(@TempDir Path home) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SwitchboardCli.run(new String[] {"demo-model"}, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("SWITCHBOARD_HOME", home.toString()));

        assertThat(code).as(err.toString()).isZero();
        Path file = home.resolve("models/switchboard-demo.gguf");
        assertThat(file).exists();
        assertThat(out.toString()).contains(file.toString()).contains(DemoModel.sha256()).contains("local:switchboard-demo");
    }

    @Test
    void theZeroConfigurationServesTheDemoModelOnAFreshMachine(@TempDir Path home) {
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", home.toString());
        ModelManagementConfig mm = ConfigLoader.locateAndLoad(null, env, LocalDefaults.ZERO_CONFIG).config().modelManagement();

        List<Path> written = LocalDefaults.writeDemoWhereEmpty(mm, env);
        assertThat(written).containsExactly(home.resolve("models/switchboard-demo.gguf"));
        assertThat(LocalDefaults.writeDemoWhereEmpty(mm, env)).isEmpty(); // only when the directory has no models

        try (ModelManager manager = new ModelManager(mm, ProviderRegistry.discover(), env)) {
            manager.start();
            var r = manager.chat().generate(ChatRequest.builder().prompt("abc").model("local:switchboard-demo")
                    .maxTokens(10).temperature(0.0).build());
            assertThat(r.text()).isEqualTo("defghijklm");
        }
        assertThat(Files.exists(home.resolve("models"))).isTrue();
    }

    @Test
    void loadingAModelShowsItsProgress(@TempDir Path home) {
        Map<String, String> env = Map.of("SWITCHBOARD_HOME", home.toString());
        ModelManagementConfig mm = ConfigLoader.locateAndLoad(null, env, LocalDefaults.ZERO_CONFIG).config().modelManagement();
        LocalDefaults.writeDemoWhereEmpty(mm, env);
        StringWriter err = new StringWriter();
        try (ModelManager manager = new ModelManager(mm, ProviderRegistry.discover(), env)) {
            manager.onLoadProgress(new LoadProgressPrinter(new PrintWriter(err, true)));
            manager.start();
            manager.chat().generate(ChatRequest.builder().prompt("abc").model("local:switchboard-demo").maxTokens(3).build());
            String first = err.toString();
            // The pin is checked, then the native load starts and ends, in that order, once.
            assertThat(first.lines().toList()).hasSize(3);
            assertThat(first.lines().toList().get(0)).startsWith("verifying local:switchboard-demo (0.").endsWith("against its pinned SHA-256");
            assertThat(first.lines().toList().get(1)).startsWith("loading local:switchboard-demo (0.").endsWith("into llama.cpp...");
            assertThat(first.lines().toList().get(2)).matches("loaded local:switchboard-demo in \\d+ ms");
            // Loaded now: a second request loads nothing.
            manager.chat().generate(ChatRequest.builder().prompt("abc").model("local:switchboard-demo").maxTokens(3).build());
            assertThat(err.toString()).isEqualTo(first);
        }
    }

    @Test
    void bigFilesShowAPercentage() {
        StringWriter err = new StringWriter();
        LoadProgressPrinter p = new LoadProgressPrinter(new PrintWriter(err, true));
        long total = 4L << 30;
        p.update("local", "big", dev.switchboard.provider.LoadProgress.Stage.VERIFYING, 0, total);
        p.update("local", "big", dev.switchboard.provider.LoadProgress.Stage.VERIFYING, total / 4, total);
        p.update("local", "big", dev.switchboard.provider.LoadProgress.Stage.VERIFYING, total, total);
        assertThat(err.toString().lines()).containsExactly(
                "verifying local:big (4.0 GB) against its pinned SHA-256", "verifying local:big: 25%");
    }
}
