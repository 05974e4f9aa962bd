package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.MockOpenRouterServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** Cost, Playground, Providers, Performance and System pages in Chromium against a live service with mock upstreams. */
class DashboardToolsTest extends DashboardFixture {
    TestInfo info;

    @AfterEach
    void shot() {
        screenshot(info);
    }

    @Test
    void theCostCalculatorShowsTheFigureForAKnownPrice(TestInfo info) {
        this.info = info;
        open("cost");
        // claude-3.5-sonnet: (0.000003 + 0.000015) / 2 = $0.000009 per token; 250,000 tokens cost $2.25.
        Select model = new Select(driver.findElement(By.xpath("//label[text()='Model']/following-sibling::select")));
        model.selectByValue("openrouter:" + MODERATE);
        WebElement tokens = driver.findElement(By.xpath("//label[text()='Tokens']/following-sibling::input"));
        tokens.sendKeys(Keys.chord(Keys.CONTROL, "a"), "250000");
        wait.until(ExpectedConditions.textToBe(By.id("cost-result"), "$2.25"));
        // Regular use: 200 requests/day × 1,000 tokens × 30 days = 6,000,000 tokens = $54.00.
        assertThat(find("#scenarios").getText()).contains("Regular").contains("$54.00");
        assertThat(find("#spend").getText()).contains("All providers").contains("none");
    }

    @Test
    void thePlaygroundStreamsTextAndShowsTheExplanation(TestInfo info) {
        this.info = info;
        open("playground");
        WebElement prompt = driver.findElement(By.xpath("//label[text()='Prompt']/following-sibling::textarea"));
        prompt.sendKeys("tell me a story");
        find("#send").click();
        wait.until(ExpectedConditions.attributeToBe(By.id("answer"), "data-state", "done"));
        assertThat(find("#answer").getText()).isEqualTo("Routed answer to: tell me a story");
        assertThat(find("#chosen").getText()).contains("openrouter:");
        assertThat(find("#runners-up").findElements(By.tagName("li"))).isNotEmpty();
        assertThat(find("#runners-up").getText()).contains("score");
        assertThat(find("#excluded").getText()).contains("ollama:llama3.2:3b").contains("not trusted");
        assertThat(find("#answer-meta").getText()).startsWith("Answered by openrouter:");
    }

    @Test
    void aResetButtonClearsAModelsFailures(TestInfo info) {
        this.info = info;
        openRouter.enqueue(MockOpenRouterServer.error(503, "upstream down", null, Map.of()));
        service.post("/api/v1/models/generate", "{\"prompt\":\"hi\",\"model_id\":\"openrouter:" + CHEAP + "\",\"max_tokens\":8}");
        open("providers");
        String key = "openrouter:" + CHEAP;
        WebElement row = find("#failure-table tr[data-model='" + key + "']");
        assertThat(row.findElement(By.cssSelector(".failures")).getText()).isEqualTo("1");
        assertThat(find("#providers").getText()).contains("openrouter").contains("ollama").contains("custom_api:vllm");
        row.findElement(By.cssSelector("button.reset")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#failure-table tr[data-model='" + key + "']")));
        assertThat(RestApiTest.json(service.get("/api/v1/models/fallback/statistics")).get("recent_failure_details").has(key)).isFalse();
    }

    @Test
    void thePerformanceChartRendersAfterRequestsWereMade(TestInfo info) {
        this.info = info;
        for (String model : new String[] {FREE_LLAMA, CHEAP, MODERATE}) {
            assertThat(service.post("/api/v1/models/generate",
                    "{\"prompt\":\"warm up\",\"model_id\":\"openrouter:" + model + "\",\"max_tokens\":8}").statusCode()).isEqualTo(200);
        }
        open("performance");
        WebElement chart = find("#latency-chart");
        wait.until(d -> !chart.findElements(By.cssSelector("canvas")).isEmpty());
        assertThat(Integer.parseInt(chart.getAttribute("data-series"))).isGreaterThanOrEqualTo(3);
        assertThat(chart.findElement(By.cssSelector("canvas")).getSize().getWidth()).isGreaterThan(300);
        assertThat(find("#perf-table").getText()).contains(CHEAP).contains(MODERATE).doesNotContain("undefined");
        // The requests column reads the seed's per-model name, requests.
        assertThat(find("#perf-table tr[data-model='" + CHEAP + "'] td").getText().strip()).matches("[1-9]\\d*");
        assertThat(find("#perf-totals").getText()).contains("Requests");
        // The seed's connectivity test, from the page.
        new Select(driver.findElement(By.xpath("//label[text()='Model to test']/following-sibling::select")))
                .selectByValue("openrouter:" + CHEAP);
        find("#run-test").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-result"), "success"));
        assertThat(find("#test-result").getText()).contains("Hello, how are you?");
    }

    @Test
    void theSystemPageShowsHardwareAndRecommendations(TestInfo info) {
        this.info = info;
        open("system");
        assertThat(find("#hardware").getText()).contains("cores").contains("GB");
        new Select(driver.findElement(By.xpath("//label[text()='Task type']/following-sibling::select"))).selectByValue("world_building");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rec-table"), "llama3.2:3b"));
    }
}
