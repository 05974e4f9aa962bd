package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The Models page, clicked through in Chromium against a live service with mock OpenRouter, Ollama and vLLM. */
class DashboardModelsTest extends DashboardFixture {
    static final String OR = "openrouter:";
    static final List<String> ALL = List.of(OR + FREE_LLAMA, OR + FREE_GEMMA, OR + CHEAP, OR + MODERATE, OR + EXPENSIVE,
            "ollama:llama3.2:3b", "custom_api:vllm:qwen2.5-coder:7b");

    TestInfo info;

    @AfterEach
    void shot() {
        screenshot(info);
    }

    /**
     * The page on "All" with the server's OpenRouter filter off, whatever an earlier test left there: the page is
     * opened first, so nothing an earlier test's page was still saving can land after the filter is turned off.
     */
    void openAll(TestInfo info) {
        this.info = info;
        open("models");
        assertThat(service.post("/api/v1/models/openrouter/filter",
                "{\"show_free_only\":false,\"prefer_free_models\":false}").statusCode()).isEqualTo(200);
        driver.navigate().refresh();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("main"), "aria-busy", "false"));
        find("#mode-all").click();
        wait.until(d -> visibleModelIds().size() == ALL.size());
    }

    @Test
    void rootServesTheDashboardAndEveryModelIsListedWithItsCostBadge(TestInfo info) {
        openAll(info);
        assertThat(visibleModelIds()).containsExactlyInAnyOrderElementsOf(ALL);
        assertThat(badge(OR + FREE_LLAMA)).isEqualTo("free");
        assertThat(badge(OR + CHEAP)).isEqualTo("cheap");
        assertThat(badge(OR + MODERATE)).isEqualTo("moderate");
        assertThat(badge(OR + EXPENSIVE)).isEqualTo("expensive");
        assertThat(badge("custom_api:vllm:qwen2.5-coder:7b")).isEqualTo("price unknown");
    }

    @Test
    void searchNarrowsTheList(TestInfo info) {
        openAll(info);
        WebElement search = find("input[type=search]");
        search.sendKeys("gemma");
        wait.until(d -> visibleModelIds().equals(List.of(OR + FREE_GEMMA)));
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, "claude");
        wait.until(d -> visibleModelIds().equals(List.of(OR + MODERATE)));
    }

    @Test
    void freeOnlyLeavesOnlyFreeModelsAndIsSavedOnTheServerAndInTheBrowser(TestInfo info) {
        openAll(info);
        find("label[for=mode-free]").click();
        wait.until(d -> visibleModelIds().size() == 3);
        assertThat(visibleModelIds()).containsExactlyInAnyOrder(OR + FREE_LLAMA, OR + FREE_GEMMA, "ollama:llama3.2:3b");
        assertThat(all("#model-list .model-card .badge[class*=cost-]")).extracting(WebElement::getText).containsOnly("free");
        wait.until(d -> text("#filter-sync").startsWith("Filter saved"));
        JsonNode filter = RestApiTest.json(service.get("/api/v1/models/openrouter/filter")).get("settings");
        assertThat(filter.get("show_free_only").asBoolean()).isTrue();
        assertThat((String) driver.executeScript("return localStorage.getItem('switchboard.modelFilter')")).contains("\"mode\":\"free\"");
        // A reload keeps the choice.
        driver.navigate().refresh();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("main"), "aria-busy", "false"));
        assertThat(find("#mode-free").isSelected()).isTrue();
        assertThat(visibleModelIds()).hasSize(3);
    }

    /**
     * A first visit, with the server's OpenRouter filter on the seed's default ({@code prefer_free_models: true}):
     * the page opens on "All" and lists every configured model, the custom endpoint's price-unknown one included,
     * and says what the server's filter keeps.
     */
    @Test
    void theFirstPageListsEveryConfiguredModelPriceUnknownIncluded(TestInfo info) {
        this.info = info;
        assertThat(service.post("/api/v1/models/openrouter/filter",
                "{\"show_free_only\":false,\"prefer_free_models\":true,\"max_cost_per_token\":0.001}").statusCode())
                .isEqualTo(200);
        open("models");
        assertThat(find("#mode-all").isSelected()).isTrue();
        assertThat(visibleModelIds()).containsExactlyInAnyOrderElementsOf(ALL);
        assertThat(text("#model-count")).startsWith(ALL.size() + " of " + ALL.size() + " models");
        assertThat(badge("custom_api:vllm:qwen2.5-coder:7b")).isEqualTo("price unknown");
        assertThat(text("#filter-sync")).contains("The server's OpenRouter filter keeps free models and those up to $0.001 per token");
        // its button turns the server's filter off without leaving "All"
        find("#server-filter-off").click();
        wait.until(d -> text("#filter-sync").startsWith("Filter saved"));
        assertThat(RestApiTest.json(service.get("/api/v1/models/openrouter/filter")).get("settings")
                .get("prefer_free_models").asBoolean()).isFalse();
        assertThat(find("#mode-all").isSelected()).isTrue();
    }

    @Test
    void theCostSliderFiltersByCost(TestInfo info) {
        openAll(info);
        WebElement slider = find("input[type=range]");
        slider.sendKeys(Keys.HOME);
        wait.until(d -> visibleModelIds().size() == 3);
        assertThat(find("#mode-affordable").isSelected()).isTrue();
        assertThat(visibleModelIds()).doesNotContain(OR + CHEAP, OR + MODERATE, OR + EXPENSIVE);
        // 50 steps up: 10^(-8 + 3) = $0.00001 per token, which keeps the cheap and moderate models, not GPT-4.
        for (int i = 0; i < 50; i++) {
            slider.sendKeys(Keys.ARROW_RIGHT);
        }
        wait.until(d -> text("#cap-value").startsWith("up to $0.00001 per token")
                && text("#filter-sync").startsWith("Filter saved") && visibleModelIds().size() == 5);
        assertThat(visibleModelIds()).contains(OR + CHEAP, OR + MODERATE).doesNotContain(OR + EXPENSIVE);
        JsonNode filter = RestApiTest.json(service.get("/api/v1/models/openrouter/filter")).get("settings");
        assertThat(filter.get("max_cost_per_token").asDouble()).isCloseTo(0.00001, org.assertj.core.data.Offset.offset(1e-9));
        // A preset moves the slider in one click.
        find("button[data-preset='Under $1/M']").click();
        wait.until(d -> visibleModelIds().size() == 4);
        assertThat(visibleModelIds()).contains(OR + CHEAP).doesNotContain(OR + MODERATE, OR + EXPENSIVE);
    }

    @Test
    void sortingByCostOrdersTheCards(TestInfo info) {
        openAll(info);
        new Select(driver.findElement(By.xpath("//select[option[@value='cost']]"))).selectByValue("cost");
        wait.until(d -> visibleModelIds().getLast().equals("custom_api:vllm:qwen2.5-coder:7b"));
        List<String> ids = visibleModelIds();
        assertThat(ids.subList(3, 6)).containsExactly(OR + CHEAP, OR + MODERATE, OR + EXPENSIVE);
        // Read in one script: the page redraws when its filter has been saved on the server, which can land here.
        @SuppressWarnings("unchecked")
        List<String> raw = (List<String>) driver.executeScript("return [...document.querySelectorAll("
                + "'#model-list .model-card')].map(e => e.getAttribute('data-cost') || '');");
        List<Double> costs = raw.stream().filter(s -> !s.isEmpty()).map(Double::parseDouble).toList();
        assertThat(costs).isSorted();
    }

    @Test
    void aLocalModelsDetailShowsItsHardwareFit(TestInfo info) {
        openAll(info);
        WebElement card = find("[data-model-id='ollama:llama3.2:3b']");
        WebElement toggle = card.findElement(By.cssSelector("button[aria-expanded]"));
        toggle.sendKeys(Keys.ENTER);
        wait.until(d -> "true".equals(toggle.getAttribute("aria-expanded")));
        WebElement fit = wait.until(d -> card.findElement(By.cssSelector(".fit")));
        assertThat(fit.getText()).contains("Hardware fit").contains("GB RAM");
        assertThat(card.findElement(By.cssSelector(".detail")).getText()).contains("Q4_K_M");
    }

    static String badge(String id) {
        return find("[data-model-id='" + id + "'] .badge[class*=cost-]").getText();
    }
}
