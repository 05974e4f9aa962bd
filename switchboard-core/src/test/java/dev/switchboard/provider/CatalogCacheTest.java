package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Stale-while-revalidate: a failed refresh keeps the last good catalog and says why. */
class CatalogCacheTest {
    static List<ModelInfo> models(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> ModelInfo.basic(id, ProviderType.CUSTOM_API, "p")).toList();
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition reached").isTrue();
    }

    @Test
    void aFailedRefreshKeepsServingTheLastGoodCatalog() throws Exception {
        AtomicReference<Object> next = new AtomicReference<>(models("a"));
        AtomicInteger loads = new AtomicInteger();
        CatalogCache cache = new CatalogCache(Duration.ofNanos(1), () -> {
            loads.incrementAndGet();
            Object n = next.get();
            if (n instanceof RuntimeException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<ModelInfo> list = (List<ModelInfo>) n;
            return list;
        });
        assertThat(cache.get()).extracting(ModelInfo::modelId).containsExactly("a");

        next.set(new ModelFailure.Unavailable("p", null, 503, "upstream down", null));
        assertThat(cache.get()).extracting(ModelInfo::modelId).containsExactly("a");
        eventually(() -> "upstream down".equals(cache.lastError()));
        assertThat(cache.get()).extracting(ModelInfo::modelId).containsExactly("a");

        next.set(models("a", "b"));
        eventually(() -> cache.get().size() == 2);
        assertThat(cache.lastError()).isNull();
        assertThat(cache.lastRefresh()).isNotNull();
        assertThat(loads.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void withinTheTtlTheUpstreamIsNotAskedAgain() {
        AtomicInteger loads = new AtomicInteger();
        CatalogCache cache = new CatalogCache(Duration.ofHours(1), () -> {
            loads.incrementAndGet();
            return models("a");
        });
        for (int i = 0; i < 100; i++) {
            cache.get();
        }
        assertThat(loads.get()).isEqualTo(1);
    }

    @Test
    void withoutAnyGoodCatalogTheFailureIsThrownAndRememberedBriefly() {
        AtomicInteger loads = new AtomicInteger();
        CatalogCache cache = new CatalogCache(Duration.ofHours(1), () -> {
            loads.incrementAndGet();
            throw new ModelFailure.Unavailable("p", null, 0, "cannot connect", null);
        });
        assertThatThrownBy(cache::get).hasMessageContaining("cannot connect");
        assertThatThrownBy(cache::get).hasMessageContaining("cannot connect");
        assertThat(loads.get()).isEqualTo(1);
        assertThat(cache.peek()).isEmpty();
        assertThat(cache.lastError()).isEqualTo("cannot connect");
    }
}
