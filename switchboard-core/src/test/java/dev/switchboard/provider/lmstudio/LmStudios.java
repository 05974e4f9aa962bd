package dev.switchboard.provider.lmstudio;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

/** Builds an LM Studio provider from a {@code providers.lm_studio} YAML section, as a configuration file would. */
final class LmStudios {
    static final String TOKEN = "sk-lm-Q7fX2pLw:9dVb3nRtKy6mZc1s";

    private LmStudios() {}

    static ProviderConfig config(String section) {
        String yaml = "model_management:\n  providers:\n    lm_studio:\n" + section.indent(6);
        return ConfigLoader.parse(yaml, "test", Map.of()).config().modelManagement().providers().get("lm_studio");
    }

    static LmStudioProvider connect(String section) {
        LmStudioProvider p = new LmStudioProvider();
        p.initialize(new ProviderSettings("lm_studio", ProviderType.LM_STUDIO, config(section), null,
                Duration.ofMinutes(10), Map.of()));
        return p;
    }

    static LmStudioProvider connect(String baseUrl, String token) {
        return connect("base_url: " + baseUrl + "\nrequest_timeout_seconds: 10\n"
                + (token == null ? "" : "api_key: \"" + token + "\"\n"));
    }

    /** A loopback port nothing listens on. */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
