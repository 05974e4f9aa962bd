package dev.switchboard.server;

import dev.switchboard.testkit.MockOllamaServer;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A live Switchboard whose providers are mock upstreams (OpenRouter with free and priced models, an OpenAI-compatible
 * endpoint, Ollama), and one headless Debian Chromium per test class driving its dashboard.
 */
abstract class DashboardFixture {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Prices in USD per token (prompt, completion); their mean is the model's cost_per_token. */
    static final String FREE_LLAMA = "meta-llama/llama-3.1-8b-instruct:free";
    static final String FREE_GEMMA = "google/gemma-2-9b-it:free";
    static final String CHEAP = "mistralai/mistral-7b-instruct";       // 0.0000002 / 0.0000002
    static final String MODERATE = "anthropic/claude-3.5-sonnet";      // 0.000003 / 0.000015 -> 0.000009
    static final String EXPENSIVE = "openai/gpt-4";                    // 0.00003 / 0.00006 -> 0.000045

    static MockOpenRouterServer openRouter;
    static MockOpenAiServer vllm;
    static MockOllamaServer ollama;
    static TestService service;
    static ChromeDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void startServiceAndBrowser() throws IOException {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("the dashboard tests need Debian Chromium: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " were not found; install them with `apt-get install -y chromium chromium-driver`");
        }
        openRouter = MockOpenRouterServer.start("sk-or-test",
                MockOpenRouterServer.model(FREE_LLAMA, "0", "0"),
                MockOpenRouterServer.model(FREE_GEMMA, "0", "0"),
                MockOpenRouterServer.model(CHEAP, "0.0000002", "0.0000002"),
                MockOpenRouterServer.model(MODERATE, "0.000003", "0.000015"),
                MockOpenRouterServer.model(EXPENSIVE, "0.00003", "0.00006"));
        openRouter.replyWith(p -> "Routed answer to: " + p);
        vllm = MockOpenAiServer.start("sk-vllm", "qwen2.5-coder:7b");
        vllm.replyWith(p -> "vllm says " + p);
        ollama = MockOllamaServer.start(MockOllamaServer.Model.chat("llama3.2:3b"));
        Path home = Files.createTempDirectory("switchboard-home");
        service = TestService.start("""
                model_management:
                  default_provider: openrouter
                  health_check_interval_seconds: 3600
                  fallback_config: {max_retries: 0, retry_delay_seconds: 0.001}
                  providers:
                    openrouter:
                      api_key: "${OPENROUTER_API_KEY}"
                      base_url: "%s"
                    ollama:
                      base_url: "%s"
                      use_docker: false
                    custom_api:
                      custom_providers:
                        vllm:
                          api_type: openai
                          base_url: "%s/v1"
                          api_key: sk-vllm
                """.formatted(openRouter.baseUrl(), ollama.baseUrl(), vllm.baseUrl()),
                Map.of("OPENROUTER_API_KEY", "sk-or-test", "SWITCHBOARD_HOME", home.toString()));

        driver = newBrowser();
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    /** Headless Debian Chromium through /usr/bin/chromedriver (no Selenium Manager download), with a fresh profile. */
    static ChromeDriver newBrowser() throws IOException {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("the dashboard tests need Debian Chromium: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " were not found; install them with `apt-get install -y chromium chromium-driver`");
        }
        Path profile = Files.createTempDirectory("chromium-profile");
        profile.toFile().deleteOnExit();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(driverService, options);
    }

    @AfterAll
    static void stopServiceAndBrowser() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {openRouter, vllm, ollama}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort on shutdown
            }
        }
    }

    /** Opens a page of the dashboard (hash route) on a fresh document, with browser storage cleared. */
    static void open(String page) {
        driver.get(service.baseUrl() + "/");
        ((JavascriptExecutor) driver).executeScript("localStorage.clear(); sessionStorage.clear();");
        driver.get(service.baseUrl() + "/#/" + page);
        wait.until(ExpectedConditions.attributeToBe(By.tagName("main"), "data-page", page));
        wait.until(ExpectedConditions.attributeToBe(By.tagName("main"), "aria-busy", "false"));
    }

    static WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    static List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The model cards shown, in order; read in one script so a redraw cannot leave stale element references. */
    @SuppressWarnings("unchecked")
    static List<String> visibleModelIds() {
        return (List<String>) driver.executeScript(
                "return [...document.querySelectorAll('#model-list .model-card')].map(e => e.dataset.modelId);");
    }

    /** An element's text, read in one script (empty when it is not there). */
    static String text(String css) {
        Object t = driver.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
        return t == null ? "" : t.toString();
    }

    static void screenshot(TestInfo info) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            String name = info.getTestClass().map(Class::getSimpleName).orElse("Dashboard") + "-"
                    + info.getTestMethod().map(m -> m.getName()).orElse("test") + ".png";
            Files.write(dir.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
