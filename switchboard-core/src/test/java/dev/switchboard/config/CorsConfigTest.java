package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code server.cors}: off by default, origins normalised, and the settings a browser would refuse refused at start. */
class CorsConfigTest {

    private static CorsConfig cors(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", Map.of()).config().server().cors();
    }

    @Test
    void corsIsOffUnlessAnOriginIsListed() {
        assertThat(cors("").enabled()).isFalse();
        assertThat(cors("server: {port: 8080}").enabled()).isFalse();
        assertThat(cors("server: {cors: {allowed_origins: []}}").enabled()).isFalse();
        assertThat(cors("server: {cors: {allow_credentials: true}}").enabled()).isFalse();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        CorsConfig c = cors("""
                server:
                  cors:
                    allowed_origins: [http://localhost:3000]
                """);
        assertThat(c.enabled()).isTrue();
        assertThat(c.allowCredentials()).isFalse();
        assertThat(c.maxAgeSeconds()).isEqualTo(600);
        assertThat(c.allowedMethods()).containsExactly("GET", "POST", "PUT", "PATCH", "DELETE");
        assertThat(c.allowedHeaders()).contains("authorization", "content-type", "x-api-key", "x-openrouter-session",
                "x-switchboard-task", "openai-organization", "openai-project", "openai-beta", "anthropic-version",
                "anthropic-beta", "x-stainless-*", "accept", "accept-language", "cache-control");
        assertThat(c.exposedHeaders()).contains("retry-after", "x-request-id", "content-type", "www-authenticate");
    }

    @Test
    void originsAreNormalisedTheWayBrowsersWriteThem() {
        CorsConfig c = cors("""
                server:
                  cors:
                    allowed_origins:
                      - HTTP://LocalHost:3000
                      - http://example.org:80
                      - https://App.Example.org:443/
                      - https://app.example.org:8443
                      - http://[::1]:5173
                      - http://localhost:3000
                """);
        assertThat(c.allowedOrigins()).containsExactly("http://localhost:3000", "http://example.org",
                "https://app.example.org", "https://app.example.org:8443", "http://[::1]:5173");
    }

    @Test
    void aSingleOriginMayBeWrittenWithoutAList() {
        assertThat(cors("server: {cors: {allowed_origins: 'http://localhost:3000'}}").allowedOrigins())
                .containsExactly("http://localhost:3000");
    }

    @Test
    void headersAndMethodsAreCaseInsensitiveAsConfigured() {
        CorsConfig c = cors("""
                server:
                  cors:
                    allowed_origins: [http://localhost:3000]
                    allowed_headers: [Authorization, X-Custom-*]
                    allowed_methods: [get, Post]
                    exposed_headers: [X-Trace-Id]
                    max_age_seconds: 0
                """);
        assertThat(c.allowedHeaders()).containsExactly("authorization", "x-custom-*");
        assertThat(c.allowedMethods()).containsExactly("GET", "POST");
        assertThat(c.exposedHeaders()).containsExactly("x-trace-id");
        assertThat(c.maxAgeSeconds()).isZero();
    }

    @Test
    void anyOriginIsAllowedWithoutCredentials() {
        CorsConfig c = cors("server: {cors: {allowed_origins: ['*']}}");
        assertThat(c.anyOrigin()).isTrue();
        assertThat(c.allowCredentials()).isFalse();
    }

    @Test
    void anyOriginWithCredentialsIsRefused() {
        assertThatThrownBy(() -> cors("""
                server:
                  cors:
                    allowed_origins: ['*']
                    allow_credentials: true
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.yaml")
                .hasMessageContaining("server.cors")
                .hasMessageContaining("'*'")
                .hasMessageContaining("allow_credentials");
    }

    @Test
    void anEntryThatIsNotAnOriginIsRefusedByName() {
        for (String bad : new String[] {"localhost:3000", "http://localhost:3000/app", "https://*.example.org",
                "http://user@localhost:3000", "http://localhost:3000?x=1", "null", "not a url"}) {
            assertThatThrownBy(() -> cors("""
                    server:
                      cors:
                        allowed_origins: [http://localhost:3000, "%s"]
                    """.formatted(bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("server.cors")
                    .hasMessageContaining("allowed_origins[1]")
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("expected an origin");
        }
    }

    @Test
    void wrongValuesNameTheKey() {
        assertThatThrownBy(() -> cors("server: {cors: {allowed_origins: [http://a.test], max_age_seconds: -1}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.cors")
                .hasMessageContaining("max_age_seconds").hasMessageContaining("'-1'");
        assertThatThrownBy(() -> cors("server: {cors: {allowed_origins: [http://a.test], allowed_headers: ['x foo']}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.cors")
                .hasMessageContaining("allowed_headers[0]").hasMessageContaining("'x foo'");
        assertThatThrownBy(() -> cors("server: {cors: {allowed_origins: [http://a.test], allow_credentials: maybe}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.cors.allow_credentials")
                .hasMessageContaining("true or false");
    }

    @Test
    void anUnknownCorsKeyIsAWarning() {
        SwitchboardConfig.Loaded loaded = ConfigLoader.parse("""
                server:
                  cors:
                    allowed_origins: [http://localhost:3000]
                    allow_origin: [http://localhost:4000]
                """, "test.yaml", Map.of());
        assertThat(loaded.warnings()).contains("unknown key 'server.cors.allow_origin' ignored");
        assertThat(loaded.config().server().cors().allowedOrigins()).containsExactly("http://localhost:3000");
    }
}
