package dev.switchboard.server;

import static dev.switchboard.server.RestApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switchboard services on a real redis-server: metrics read back from Redis, Redis killed mid-run, and two
 * replicas sharing a cooldown and an rpm limit.
 */
class RedisServiceTest {
    private static final Logger log = LoggerFactory.getLogger(RedisServiceTest.class);

    static MockOpenAiServer upstream;

    @BeforeAll
    static void start() {
        upstream = MockOpenAiServer.start("k", "gpt-4o-mini", "llama3.2:3b");
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    static String yaml(RedisServer redis, String stores, String sharedState, String models) {
        return TestService.endpointYaml("vllm", upstream.baseUrl(), "k") + """
                  monitoring:
                    stores: [%s]
                    redis_url: "%s"
                  shared_state: %s
                  models: {%s}
                """.formatted(stores, redis.url(), sharedState, models);
    }

    static String chat(String model, String content) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    static long llen(RedisServer redis, String key) {
        return Long.parseLong(redis.command("LLEN", key).trim().replace(":", ""));
    }

    @Test
    void metricsRecordedThroughTheServiceReadBackFromRedisInTheSeedsLayout() {
        try (RedisServer redis = RedisServer.start();
             TestService service = TestService.start(yaml(redis, "redis", "local", ""))) {
            for (int i = 0; i < 3; i++) {
                assertThat(service.post("/v1/chat/completions", chat("gpt-4o-mini", "hi " + i)).statusCode()).isEqualTo(200);
            }
            JsonNode perf = json(service.get("/api/v1/models/performance/gpt-4o-mini?timeframe_hours=1"));
            assertThat(perf.get("source").asText()).isEqualTo("redis");
            assertThat(perf.get("total_requests").asLong()).isEqualTo(3);
            assertThat(llen(redis, "metrics:gpt-4o-mini")).isEqualTo(3);
            assertThat(Long.parseLong(redis.command("TTL", "metrics:gpt-4o-mini").trim().replace(":", ""))).isPositive();
            assertThat(redis.command("LINDEX", "metrics:gpt-4o-mini", "0")).contains("\"model_id\":\"gpt-4o-mini\"")
                    .contains("\"response_time_ms\"").contains("\"success_rate\":1.0");
        }
    }

    @Test
    void redisKilledMidRunRequestsKeepSucceedingAndEveryBufferedMetricArrives() throws Exception {
        try (RedisServer redis = RedisServer.start(true);
             TestService service = TestService.start(yaml(redis, "redis", "redis", "gpt-4o-mini: {rpm: 100000}"))) {
            int sent = 0;
            for (int i = 0; i < 5; i++, sent++) {
                assertThat(service.post("/v1/chat/completions", chat("gpt-4o-mini", "before " + i)).statusCode()).isEqualTo(200);
            }
            assertThat(service.manager().feedback().monitor().flush(Duration.ofSeconds(10))).isTrue();

            redis.kill();
            for (int i = 0; i < 20; i++, sent++) {
                HttpResponse<String> r = service.post("/v1/chat/completions", chat("gpt-4o-mini", "during " + i));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            JsonNode store = json(service.get("/api/v1/models/status")).get("monitoring").get("monitoring").get("stores").get(0);
            assertThat(store.get("store").asText()).isEqualTo("redis");
            assertThat(store.get("pending").asInt()).isPositive();
            assertThat(store.get("dropped").asLong()).isZero();
            JsonNode shared = json(service.get("/api/v1/models/status")).get("monitoring").get("shared_state");
            assertThat(shared.get("reachable").asBoolean()).isFalse();
            // Reading aggregates needs a store: with Redis the only one, that is a clear 503, not a hang or a 500.
            HttpResponse<String> unavailable = service.get("/api/v1/models/performance");
            assertThat(unavailable.statusCode()).isEqualTo(503);
            assertThat(unavailable.body()).contains("no metrics store can be read");

            redis.restart();
            for (int i = 0; i < 5; i++, sent++) {
                assertThat(service.post("/v1/chat/completions", chat("gpt-4o-mini", "after " + i)).statusCode()).isEqualTo(200);
            }
            assertThat(service.manager().feedback().monitor().flush(Duration.ofSeconds(30))).isTrue();
            assertThat(llen(redis, "metrics:gpt-4o-mini")).isEqualTo(sent);
            assertThat(json(service.get("/api/v1/models/performance?timeframe_hours=1")).get("total_requests").asLong())
                    .isEqualTo(sent);
        }
    }

    @Test
    void twoReplicasOnOneRedisShareACooldown() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TestService a = TestService.start(yaml(redis, "sqlite", "redis", ""));
             TestService b = TestService.start(yaml(redis, "sqlite", "redis", ""))) {
            upstream.enqueue(Fault.openAiError(429, "slow down", "requests", "rate_limit_exceeded", Map.of("Retry-After", "300")));
            a.post("/v1/chat/completions", chat("custom_api:vllm:llama3.2:3b", "x"));
            long start = System.nanoTime();
            Map<String, Map<String, Object>> seen = Map.of();
            while (System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
                seen = b.manager().diagnostics().status().deployments();
                if (seen.containsKey("custom_api:vllm:llama3.2:3b")) {
                    break;
                }
                Thread.sleep(1);
            }
            log.info("replica B saw replica A's cooldown after {} ms", (System.nanoTime() - start) / 1_000_000.0);
            assertThat(seen).containsKey("custom_api:vllm:llama3.2:3b");
            assertThat(seen.get("custom_api:vllm:llama3.2:3b")).containsEntry("state", "cooling_down");

            // B routes around it without calling the upstream for it.
            upstream.reset();
            HttpResponse<String> r = b.post("/api/v1/models/generate",
                    "{\"prompt\":\"hello\",\"task_type\":\"general_chat\",\"max_tokens\":10}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("model_id").asText()).isEqualTo("gpt-4o-mini");
            assertThat(upstream.chatRequests()).allSatisfy(req -> assertThat(req.json().get("model").asText()).isEqualTo("gpt-4o-mini"));

            // A reset on B clears it for A too.
            assertThat(b.post("/api/v1/models/fallback/reset/custom_api:vllm:llama3.2:3b", "").statusCode()).isEqualTo(200);
            long resetAt = System.nanoTime();
            while (a.manager().diagnostics().status().deployments().containsKey("custom_api:vllm:llama3.2:3b")
                    && System.nanoTime() - resetAt < Duration.ofSeconds(5).toNanos()) {
                Thread.sleep(1);
            }
            assertThat(a.manager().diagnostics().status().deployments()).doesNotContainKey("custom_api:vllm:llama3.2:3b");
        }
    }

    @Test
    void twoReplicasOnOneRedisHoldOneRpmLimitBetweenThem() throws Exception {
        int limit = 100;
        try (RedisServer redis = RedisServer.start();
             TestService a = TestService.start(yaml(redis, "sqlite", "redis", "gpt-4o-mini: {rpm: " + limit + "}"));
             TestService b = TestService.start(yaml(redis, "sqlite", "redis", "gpt-4o-mini: {rpm: " + limit + "}"))) {
            int perReplica = 150;
            List<Future<Integer>> statuses = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < perReplica; i++) {
                    for (TestService s : List.of(a, b)) {
                        int n = i;
                        statuses.add(pool.submit(() -> s.post("/v1/chat/completions",
                                chat("custom_api:vllm:gpt-4o-mini", "load " + n)).statusCode()));
                    }
                }
            }
            long ok = 0;
            long limited = 0;
            for (Future<Integer> f : statuses) {
                int st = f.get();
                ok += st == 200 ? 1 : 0;
                limited += st == 429 ? 1 : 0;
            }
            log.info("rpm {} across two replicas: {} admitted, {} refused of {}", limit, ok, limited, statuses.size());
            assertThat(ok + limited).isEqualTo(2L * perReplica);
            assertThat(ok).isBetween((long) (limit * 0.98), (long) (limit * 1.02));
            assertThat(upstream.chatRequests()).hasSize((int) ok);
        }
    }
}
