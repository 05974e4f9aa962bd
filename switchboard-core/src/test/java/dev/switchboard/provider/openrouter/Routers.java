package dev.switchboard.provider.openrouter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.ProviderSettings;
import dev.switchboard.state.FileSettingsStore;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Builds OpenRouter providers the way the YAML configuration does, against a mock on loopback. */
final class Routers {
    static final String KEY = "sk-or-v1-7d3f9a2c5e1b8046a9c3d5e7f1a2b4c6";
    static final String FREE = "meta-llama/llama-3.3-70b-instruct:free";
    static final String SONNET = "anthropic/claude-3.5-sonnet";
    static final String MINI = "openai/gpt-4o-mini";
    static final String PRO = "openai/o1-pro";
    static final String AUTO = "openrouter/auto";

    private Routers() {}

    /** Free, three paid at different prices (per token), and the auto router, whose price is unknown. */
    static ObjectNode[] catalog() {
        ObjectNode free = MockOpenRouterServer.model(FREE, "0", "0");
        free.withArray("supported_parameters").add("tools").add("tool_choice");
        ObjectNode sonnet = MockOpenRouterServer.model(SONNET, "0.000003", "0.000015");
        sonnet.put("name", "Anthropic: Claude 3.5 Sonnet").put("context_length", 200_000)
                .put("description", "Anthropic's balanced model.");
        ((ObjectNode) sonnet.get("architecture")).put("modality", "text+image->text").put("tokenizer", "Claude");
        ((ObjectNode) sonnet.get("architecture")).withArray("input_modalities").add("image");
        ((ObjectNode) sonnet.get("top_provider")).put("context_length", 200_000).put("max_completion_tokens", 8192).put("is_moderated", true);
        sonnet.withArray("supported_parameters").add("tools").add("tool_choice").add("response_format")
                .add("structured_outputs").add("reasoning").add("include_reasoning");
        ObjectNode mini = MockOpenRouterServer.model(MINI, "0.00000015", "0.0000006");
        ObjectNode pro = MockOpenRouterServer.model(PRO, "0.00015", "0.0006");
        ObjectNode auto = MockOpenRouterServer.model(AUTO, "-1", "-1");
        auto.put("context_length", 2_000_000);
        return new ObjectNode[] {free, sonnet, mini, pro, auto};
    }

    static MockOpenRouterServer upstream() {
        return MockOpenRouterServer.start(KEY, catalog());
    }

    /** The {@code providers.openrouter} section parsed from YAML ({@code lines} indented as its body). */
    static ProviderConfig config(String lines, Map<String, String> env) {
        String yaml = "model_management:\n  providers:\n    openrouter:\n"
                + lines.lines().map(l -> "      " + l + "\n").reduce("", String::concat);
        return ConfigLoader.parse(yaml, "test.yaml", env).config().modelManagement().providers().get("openrouter");
    }

    static OpenRouterProvider connect(String lines, Map<String, String> env, Path home, Duration ttl) {
        OpenRouterProvider p = new OpenRouterProvider();
        p.initialize(new ProviderSettings("openrouter", ProviderType.OPENROUTER, config(lines, env), null, ttl, env,
                new FileSettingsStore(home)));
        return p;
    }

    /** The usual section: key, mock base URL and the filter off, so the whole catalog shows. */
    static String section(MockOpenRouterServer upstream, String key, String extra) {
        return "api_key: \"" + key + "\"\nbase_url: \"" + upstream.baseUrl() + "\"\nrequest_timeout_seconds: 5\n" + extra;
    }

    static String everything() {
        return "show_free_only: false\nprefer_free_models: false\n";
    }
}
