package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.MockOpenRouterServer;
import dev.switchboard.testkit.RedisServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sessions with {@code shared_state: redis}: a key connected on one replica pays for the user's calls on another,
 * logging out on one ends the session on both, and Redis holds the key only sealed.
 */
class SharedSessionsRedisTest {
    static final String OPERATOR_KEY = "sk-or-operator-redis-55aa";
    static final String USER_KEY = "sk-or-v1-redis-user-key-77cc";
    static final String MODEL = "mistralai/mistral-7b-instruct";

    static String yaml(RedisServer redis, MockOpenRouterServer openRouter) {
        return """
                model_management:
                  health_check_interval_seconds: 3600
                  providers:
                    openrouter:
                      api_key: "%s"
                      base_url: "%s"
                  monitoring:
                    stores: [sqlite]
                    redis_url: "%s"
                  shared_state: redis
                """.formatted(OPERATOR_KEY, openRouter.baseUrl(), redis.url());
    }

    @Test
    void aSessionOpenedOnOneReplicaServesOnTheOtherAndRedisHoldsTheKeyOnlySealed() throws Exception {
        Map<String, String> env = Map.of("SWITCHBOARD_SECRET_KEY", "a passphrase both replicas share",
                "SWITCHBOARD_HOME", Files.createTempDirectory("switchboard-redis-sessions").toString());
        try (RedisServer redis = RedisServer.start();
             MockOpenRouterServer openRouter = MockOpenRouterServer.start(OPERATOR_KEY,
                     MockOpenRouterServer.model(MODEL, "0.0000002", "0.0000002")).userKey(USER_KEY, "redis user", 4.0, "user_r");
             TestService a = TestService.start(yaml(redis, openRouter), env);
             TestService b = TestService.start(yaml(redis, openRouter), env)) {
            HttpResponse<String> connected = a.post("/api/v1/openrouter/auth/validate-key", "{\"api_key\":\"" + USER_KEY + "\"}");
            String cookie = connected.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

            assertThat(RestApiTest.json(send(b, "GET", "/api/v1/openrouter/auth/status", cookie, null))
                    .get("authenticated").asBoolean()).isTrue();
            HttpResponse<String> chat = send(b, "POST", "/v1/chat/completions", cookie,
                    "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
            assertThat(openRouter.chatRequests().getLast().headers().get("authorization")).isEqualTo("Bearer " + USER_KEY);

            String everything = dump(redis);
            assertThat(everything).contains("switchboard:exp:session:").doesNotContain(USER_KEY)
                    .doesNotContain(cookie.substring(cookie.indexOf('=') + 1));

            send(b, "POST", "/api/v1/openrouter/auth/logout", cookie, "");
            JsonNode onA = RestApiTest.json(send(a, "GET", "/api/v1/openrouter/auth/status", cookie, null));
            assertThat(onA.get("authenticated").asBoolean()).isFalse();
        }
    }

    /** Every key's name and value, whatever its type, as one text. */
    private static String dump(RedisServer redis) {
        StringBuilder all = new StringBuilder();
        for (String line : redis.command("KEYS", "*").split("\r\n")) {
            if (line.isEmpty() || line.startsWith("*") || line.startsWith("$")) {
                continue;
            }
            String type = redis.command("TYPE", line).trim().replace("+", "");
            all.append(line).append(" = ").append(switch (type) {
                case "string" -> redis.command("GET", line);
                case "list" -> redis.command("LRANGE", line, "0", "-1");
                case "set" -> redis.command("SMEMBERS", line);
                case "hash" -> redis.command("HGETALL", line);
                case "zset" -> redis.command("ZRANGE", line, "0", "-1", "WITHSCORES");
                default -> type;
            }).append('\n');
        }
        return all.toString();
    }

    private static HttpResponse<String> send(TestService s, String method, String path, String cookie, String json) {
        HttpRequest.Builder b = s.request(path).header("Cookie", cookie);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return s.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
