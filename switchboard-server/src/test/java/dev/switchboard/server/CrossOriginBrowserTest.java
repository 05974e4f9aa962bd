package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.MockOpenAiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A real browser (headless Debian Chromium) calling Switchboard from a page on another origin, as the seed's frontend
 * does: {@code credentials: 'include'} and a JSON content type, so every call is preflighted. The configured origin
 * reads the answers (errors too); any other origin is refused by the browser.
 */
class CrossOriginBrowserTest {
    static final String KEY = "sb-cross-origin-key-0123456789";

    static MockOpenAiServer upstream;
    static CrossOriginPage page;
    static TestService service;
    static ChromeDriver driver;

    /** What the seed's frontend does: a GET and a POST, credentials included, JSON, the key as a bearer token. */
    static final String CALLS = """
            const api = '%s';
            const auth = {'Content-Type': 'application/json', 'Authorization': 'Bearer %s'};
            const read = async r => ({status: r.status, body: await r.json(), exposedContentType: r.headers.get('content-type')});
            await attempt('available', async () =>
              read(await fetch(api + '/api/v1/models/available', {credentials: 'include', headers: auth})));
            await attempt('select', async () =>
              read(await fetch(api + '/api/v1/models/select', {method: 'POST', credentials: 'include', headers: auth,
                body: JSON.stringify({task_type: 'general_chat'})})));
            await attempt('withoutKey', async () =>
              read(await fetch(api + '/api/v1/models/available', {credentials: 'include',
                headers: {'Content-Type': 'application/json'}})));
            """;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockOpenAiServer.start("sk-up", "gpt-4o-mini");
        page = CrossOriginPage.start();
        service = TestService.start(TestService.endpointYaml("vllm", upstream.baseUrl(), "sk-up") + """
                server:
                  api_keys: [%s]
                  cors:
                    allowed_origins: [%s]
                    allow_credentials: true
                """.formatted(KEY, page.origin("localhost")));
        page.script("/", CALLS.formatted("http://localhost:" + service.port(), KEY));
        driver = DashboardFixture.newBrowser();
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        for (AutoCloseable c : new AutoCloseable[] {service, page, upstream}) {
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
    void theConfiguredOriginCallsWithCredentialsAndReadsTheAnswers() {
        JsonNode results = page.open(driver, "localhost", "/");
        CrossOriginPage.screenshot(driver, "CrossOriginBrowserTest-configuredOrigin");

        JsonNode available = results.get("available");
        assertThat(available.has("error")).as(available.toString()).isFalse();
        assertThat(available.get("status").asInt()).isEqualTo(200);
        assertThat(available.get("body").findValuesAsText("model_id")).contains("gpt-4o-mini");
        assertThat(available.get("exposedContentType").asText()).startsWith("application/json");

        JsonNode select = results.get("select");
        assertThat(select.has("error")).as(select.toString()).isFalse();
        assertThat(select.get("status").asInt()).isEqualTo(200);
        assertThat(select.get("body").get("model_id").asText()).isEqualTo("gpt-4o-mini");

        // An error answer is readable too, so the page can say why.
        JsonNode withoutKey = results.get("withoutKey");
        assertThat(withoutKey.has("error")).as(withoutKey.toString()).isFalse();
        assertThat(withoutKey.get("status").asInt()).isEqualTo(401);
        assertThat(withoutKey.get("body").get("detail").asText()).contains("missing API key");
    }

    @Test
    void anotherOriginIsRefusedByTheBrowser() {
        JsonNode results = page.open(driver, "127.0.0.1", "/");
        CrossOriginPage.screenshot(driver, "CrossOriginBrowserTest-otherOrigin");
        for (String call : new String[] {"available", "select", "withoutKey"}) {
            assertThat(results.get(call).path("error").asText()).as(call + ": " + results.get(call)).isEqualTo("TypeError");
        }
        // The same page and calls from the listed origin succeed: it is the origin that was refused.
        assertThat(page.open(driver, "localhost", "/").get("available").path("status").asInt()).isEqualTo(200);
    }

    @Test
    void theSameOriginDashboardIsNotBlockedByItsOrigin() {
        // Browsers send Origin on a same-origin POST; that origin is not listed, and the call must still work.
        // (A keyless Switchboard document to call from: the dashboard itself would prompt for the key.)
        driver.get(service.baseUrl() + "/api/v1/models/health");
        JsonNode answer = CrossOriginPage.run(driver, """
                const r = await fetch('/api/v1/models/select', {method: 'POST',
                  headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer %s'},
                  body: JSON.stringify({task_type: 'general_chat'})});
                return {status: r.status, body: await r.json()};
                """.formatted(KEY));
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.get("body").get("model_id").asText()).isEqualTo("gpt-4o-mini");
    }
}
