package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.MockOpenAiServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** With auth on, the dashboard's files load without a key; its API calls ask for one once and keep it for the session. */
class DashboardAuthTest {
    static final String KEY = "sb-dashboard-key";
    static MockOpenAiServer upstream;
    static TestService service;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        upstream = MockOpenAiServer.start("sk-up", "gpt-4o-mini");
        service = TestService.start("""
                model_management:
                  default_provider: up
                  health_check_interval_seconds: 3600
                  providers:
                    custom_api:
                      custom_providers:
                        up: {api_type: openai, base_url: "%s/v1", api_key: sk-up, request_timeout_seconds: 5}
                server:
                  api_keys: ["%s"]
                """.formatted(upstream.baseUrl(), KEY));
        driver = DashboardFixture.newBrowser();
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        service.close();
        upstream.close();
    }

    @Test
    void staticFilesNeedNoKeyButTheApiDoes() {
        assertThat(service.get("/").statusCode()).isEqualTo(200);
        assertThat(service.get("/").body()).contains("<title>Switchboard dashboard</title>");
        assertThat(service.get("/ui/app.js").statusCode()).isEqualTo(200);
        assertThat(service.get("/webjars/uplot/1.6.30/dist/uPlot.esm.js").statusCode()).isEqualTo(200);
        assertThat(service.get("/api/v1/models").statusCode()).isEqualTo(401);
        assertThat(service.get("/ui/../api/v1/models").statusCode()).isNotEqualTo(200);
    }

    @Test
    void theDashboardAsksForTheKeyOnceAndKeepsItForTheSession() {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        driver.get(service.baseUrl() + "/#/models");
        Alert prompt = wait.until(ExpectedConditions.alertIsPresent());
        prompt.sendKeys(KEY);
        prompt.accept();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-model-id='custom_api:up:gpt-4o-mini']")));
        assertThat(driver.executeScript("return sessionStorage.getItem('switchboard.apiKey')")).isEqualTo(KEY);
        // Another page in the same session: no second prompt.
        driver.get(service.baseUrl() + "/#/providers");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("main"), "aria-busy", "false"));
        assertThat(driver.findElement(By.id("providers")).getText()).contains("custom_api:up");
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "screenshots");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.write(dir.resolve("DashboardAuthTest-keyKeptForTheSession.png"),
                    driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
