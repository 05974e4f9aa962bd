package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The seed frontend's "connect your OpenRouter key" flow in a real browser, from its own origin: every call with
 * {@code credentials: 'include'}, as its {@code openRouterAuthAPI} makes them. Switchboard's HttpOnly session cookie
 * is set by the cross-origin answer, travels on the page's later calls, pays for the page's generation with the
 * user's key (asserted on the mock), and is gone after logout. The page cannot read the cookie itself.
 */
class OpenRouterConnectBrowserTest {
    static final String OPERATOR_KEY = "sk-or-operator-browser-1a2b";
    static final String USER_KEY = "sk-or-v1-browser-user-9f8e7d";
    static final String MODEL = "meta-llama/llama-3.1-8b-instruct";

    static MockOpenRouterServer openRouter;
    static CrossOriginPage page;
    static TestService service;
    static ChromeDriver driver;

    /** The frontend's calls, in the order its connect modal and model page make them. */
    static final String FLOW = """
            const api = '%s';
            const json = {'Content-Type': 'application/json'};
            const read = async r => ({status: r.status, body: await r.json()});
            await attempt('before', async () =>
              read(await fetch(api + '/api/v1/openrouter/auth/status', {credentials: 'include'})));
            await attempt('connect', async () =>
              read(await fetch(api + '/api/v1/openrouter/auth/validate-key', {method: 'POST', credentials: 'include',
                headers: json, body: JSON.stringify({api_key: '%s', validate_only: false})})));
            await attempt('after', async () =>
              read(await fetch(api + '/api/v1/openrouter/auth/status', {credentials: 'include'})));
            await attempt('models', async () =>
              read(await fetch(api + '/api/v1/models/available?free_only=false', {credentials: 'include', headers: json})));
            await attempt('generate', async () =>
              read(await fetch(api + '/api/v1/models/generate', {method: 'POST', credentials: 'include', headers: json,
                body: JSON.stringify({prompt: 'a lighthouse', model_id: '%s', max_tokens: 32})})));
            await attempt('cookieVisibleToPage', async () => document.cookie.includes('openrouter_session_id'));
            await attempt('logout', async () =>
              read(await fetch(api + '/api/v1/openrouter/auth/logout', {method: 'POST', credentials: 'include'})));
            await attempt('end', async () =>
              read(await fetch(api + '/api/v1/openrouter/auth/status', {credentials: 'include'})));
            """;

    @BeforeAll
    static void start() throws Exception {
        openRouter = MockOpenRouterServer.start(OPERATOR_KEY, MockOpenRouterServer.model(MODEL, "0.0000001", "0.0000001"))
                .userKey(USER_KEY, "sk-or-v1-bro...d7e", 3.5, "user_browser")
                .replyWith(p -> "story: " + p);
        page = CrossOriginPage.start();
        // The TTA frontend sends its own player token, not a Switchboard key: this is the keyless setup it needs.
        service = TestService.start("""
                model_management:
                  health_check_interval_seconds: 3600
                  providers:
                    openrouter:
                      api_key: "%s"
                      base_url: "%s"
                server:
                  cors:
                    allowed_origins: [%s]
                    allow_credentials: true
                """.formatted(OPERATOR_KEY, openRouter.baseUrl(), page.origin("localhost")),
                Map.of("SWITCHBOARD_HOME", Files.createTempDirectory("switchboard-connect").toString()));
        page.script("/", FLOW.formatted("http://localhost:" + service.port(), USER_KEY, MODEL));
        driver = DashboardFixture.newBrowser();
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        for (AutoCloseable c : new AutoCloseable[] {service, page, openRouter}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort on shutdown
            }
        }
    }

    @Test
    void theFrontendConnectsAKeyFromItsOwnOriginAndItsCallsArePaidWithIt() {
        JsonNode r = page.open(driver, "localhost", "/");
        CrossOriginPage.screenshot(driver, "OpenRouterConnectBrowserTest-flow");

        assertThat(r.get("before").get("body").get("authenticated").asBoolean()).as(r.toString()).isFalse();
        JsonNode connect = r.get("connect");
        assertThat(connect.get("status").asInt()).as(connect.toString()).isEqualTo(200);
        assertThat(connect.get("body").get("valid").asBoolean()).isTrue();
        assertThat(connect.get("body").get("user").get("name").asText()).isEqualTo("sk-or-v1-bro...d7e");

        JsonNode after = r.get("after").get("body");
        assertThat(after.get("authenticated").asBoolean()).as(r.toString()).isTrue();
        assertThat(after.get("auth_method").asText()).isEqualTo("api_key");
        assertThat(r.get("models").get("status").asInt()).isEqualTo(200);

        JsonNode generate = r.get("generate");
        assertThat(generate.get("status").asInt()).as(generate.toString()).isEqualTo(200);
        assertThat(generate.get("body").get("text").asText()).contains("a lighthouse");
        assertThat(openRouter.chatRequests().getLast().headers().get("authorization")).isEqualTo("Bearer " + USER_KEY);

        assertThat(r.get("cookieVisibleToPage").asBoolean()).as("the cookie is HttpOnly").isFalse();
        assertThat(r.get("logout").get("body").get("message").asText()).isEqualTo("Logged out successfully");
        assertThat(r.get("end").get("body").get("authenticated").asBoolean()).isFalse();
        assertThat(r.toString()).doesNotContain(USER_KEY);
    }
}
