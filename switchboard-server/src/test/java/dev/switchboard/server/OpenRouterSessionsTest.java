package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The seed frontend's "connect your OpenRouter key" routes against the wire-exact OpenRouter mock: the key check,
 * the session cookie, the OAuth PKCE sign-in (the mock checks the challenge), and the user's key paying for the
 * user's calls while everyone else's go out with the operator's key. No key ever shows in a log line or the data
 * directory.
 */
class OpenRouterSessionsTest {
    static final String OPERATOR_KEY = "sk-or-operator-7f3a9c1e5b";
    static final String USER_KEY = "sk-or-v1-user-own-key-4d2e8a6b0c";
    static final String MODEL = "mistralai/mistral-7b-instruct";
    static final String CALLBACK = "http://localhost:3000/openrouter/callback";
    static MockOpenRouterServer openRouter;
    static TestService service;
    static Path home;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() throws IOException {
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        openRouter = MockOpenRouterServer.start(OPERATOR_KEY, MockOpenRouterServer.model(MODEL, "0.0000002", "0.0000002"))
                .userKey(USER_KEY, "sk-or-v1-use...b0c", 7.25, "user_2dHFtVWx2n56w6HkM")
                .replyWith(p -> "story: " + p);
        home = Files.createTempDirectory("switchboard-sessions");
        service = TestService.start("""
                model_management:
                  health_check_interval_seconds: 3600
                  fallback_config: {max_retries: 0, retry_delay_seconds: 0.001}
                  providers:
                    openrouter:
                      api_key: "%s"
                      base_url: "%s"
                """.formatted(OPERATOR_KEY, openRouter.baseUrl()),
                Map.of("SWITCHBOARD_HOME", home.toString(), "OPENROUTER_REDIRECT_URI", CALLBACK));
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        service.close();
        openRouter.close();
    }

    @BeforeEach
    void reset() {
        openRouter.reset();
    }

    @Test
    void aValidKeyOpensASessionWhoseCookieIsTheSeeds() {
        HttpResponse<String> r = service.post("/api/v1/openrouter/auth/validate-key",
                "{\"api_key\":\"" + USER_KEY + "\",\"validate_only\":false}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = RestApiTest.json(r);
        assertThat(body.get("valid").asBoolean()).isTrue();
        assertThat(body.get("error").isNull()).isTrue();
        JsonNode user = body.get("user");
        assertThat(user.get("id").asText()).isEqualTo("user_2dHFtVWx2n56w6HkM");
        assertThat(user.get("name").asText()).isEqualTo("sk-or-v1-use...b0c");
        assertThat(user.get("credits").asDouble()).isEqualTo(7.25);
        assertThat(user.get("usage").get("requests").asInt()).isZero();
        assertThat(user.has("email")).isFalse();
        assertThat(r.body()).doesNotContain(USER_KEY);

        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("openrouter_session_id=").contains("Path=/").contains("Max-Age=86400")
                .containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax").doesNotContainIgnoringCase("Secure");
        String session = sessionOf(cookie);

        JsonNode status = RestApiTest.json(withCookie("GET", "/api/v1/openrouter/auth/status", session, null));
        assertThat(status.get("authenticated").asBoolean()).isTrue();
        assertThat(status.get("auth_method").asText()).isEqualTo("api_key");
        assertThat(status.get("user").get("id").asText()).isEqualTo("user_2dHFtVWx2n56w6HkM");
        JsonNode info = RestApiTest.json(withCookie("GET", "/api/v1/openrouter/auth/user-info", session, null));
        assertThat(info.get("auth_method").asText()).isEqualTo("api_key");
        assertThat(info.get("spend").has("spent_today_usd")).isTrue();

        // validate_only checks the key and opens nothing
        HttpResponse<String> only = service.post("/api/v1/openrouter/auth/validate-key",
                "{\"api_key\":\"" + USER_KEY + "\",\"validate_only\":true}");
        assertThat(RestApiTest.json(only).get("valid").asBoolean()).isTrue();
        assertThat(only.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aKeyOpenRouterRefusesIsNotValidAndOpensNothing() {
        HttpResponse<String> r = service.post("/api/v1/openrouter/auth/validate-key", "{\"api_key\":\"sk-or-v1-nobody\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = RestApiTest.json(r);
        assertThat(body.get("valid").asBoolean()).isFalse();
        assertThat(body.get("user").isNull()).isTrue();
        assertThat(body.get("error").asText()).startsWith("Invalid API key").contains("User not found");
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(r.body()).doesNotContain("sk-or-v1-nobody");

        HttpResponse<String> missing = service.post("/api/v1/openrouter/auth/validate-key", "{\"validate_only\":true}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(RestApiTest.json(missing).get("detail").asText()).contains("api_key");
        HttpResponse<String> unknown = service.post("/api/v1/openrouter/auth/validate-key", "{\"api_key\":\"k\",\"remember\":1}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(RestApiTest.json(unknown).get("detail").asText()).contains("remember");

        JsonNode status = RestApiTest.json(service.get("/api/v1/openrouter/auth/status"));
        assertThat(status.get("authenticated").asBoolean()).isFalse();
        assertThat(status.get("auth_method").isNull()).isTrue();
        assertThat(service.get("/api/v1/openrouter/auth/user-info").statusCode()).isEqualTo(401);
    }

    @Test
    void theUsersKeyPaysForTheUsersCallsAndTheOperatorsForEveryoneElses() {
        String session = sessionOf(service.post("/api/v1/openrouter/auth/validate-key",
                "{\"api_key\":\"" + USER_KEY + "\"}").headers().firstValue("Set-Cookie").orElseThrow());
        double operatorSpendBefore = RestApiTest.json(service.get("/api/v1/models/spend")).get("global").get("spent_today_usd").asDouble();

        HttpResponse<String> mine = withCookie("POST", "/v1/chat/completions", session,
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a lighthouse\"}]}");
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        JsonNode routing = RestApiTest.json(mine).get("metadata").get("routing");
        assertThat(routing.get("candidates").get(0).get("note").asText()).contains("OpenRouter key: user's own");

        HttpResponse<String> seeds = withCookie("POST", "/api/v1/models/generate", session,
                "{\"model_id\":\"" + MODEL + "\",\"prompt\":\"a storm\"}");
        assertThat(seeds.statusCode()).as(seeds.body()).isEqualTo(200);

        HttpResponse<String> operators = service.post("/v1/chat/completions",
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a harbour\"}]}");
        assertThat(operators.statusCode()).isEqualTo(200);

        List<MockOpenAiServer.Recorded> calls = openRouter.chatRequests();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).headers().get("authorization")).isEqualTo("Bearer " + USER_KEY);
        assertThat(calls.get(1).headers().get("authorization")).isEqualTo("Bearer " + USER_KEY);
        assertThat(calls.get(2).headers().get("authorization")).isEqualTo("Bearer " + OPERATOR_KEY);

        // the user's calls are charged to the user, the operator's to the operator
        JsonNode spend = RestApiTest.json(withCookie("GET", "/api/v1/openrouter/auth/user-info", session, null)).get("spend");
        assertThat(spend.get("spent_today_usd").asDouble()).isPositive();
        double operatorSpendAfter = RestApiTest.json(service.get("/api/v1/models/spend")).get("global").get("spent_today_usd").asDouble();
        assertThat(operatorSpendAfter - operatorSpendBefore).isPositive().isLessThan(spend.get("spent_today_usd").asDouble());

        // a session id can travel as a header too, for clients without cookies
        HttpResponse<String> byHeader = service.send("POST", "/v1/chat/completions",
                ("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "X-OpenRouter-Session", session));
        assertThat(byHeader.statusCode()).isEqualTo(200);
        assertThat(openRouter.chatRequests().getLast().headers().get("authorization")).isEqualTo("Bearer " + USER_KEY);

        // the monitor's records say whose key paid
        service.manager().feedback().monitor().flush(java.time.Duration.ofSeconds(5));
        List<String> users = new java.util.ArrayList<>();
        try (var db = dev.switchboard.monitor.sqlite.SqliteDatabase.open(service.manager().dataDir())) {
            new dev.switchboard.monitor.sqlite.SqliteMetricsStore(db).scan(MODEL, java.time.Instant.now().minusSeconds(60),
                    r -> users.add(String.valueOf(r.user())));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(users).contains("user_2dHFtVWx2n56w6HkM", "null");
    }

    @Test
    void afterLogoutTheSessionIsGoneAndARequestNamingItIsRefused() {
        String session = sessionOf(service.post("/api/v1/openrouter/auth/validate-key",
                "{\"api_key\":\"" + USER_KEY + "\"}").headers().firstValue("Set-Cookie").orElseThrow());
        HttpResponse<String> out = withCookie("POST", "/api/v1/openrouter/auth/logout", session, "");
        assertThat(RestApiTest.json(out).get("message").asText()).isEqualTo("Logged out successfully");
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("openrouter_session_id=;")
                .contains("Expires=Thu, 01 Jan 1970").contains("Path=/");

        JsonNode status = RestApiTest.json(withCookie("GET", "/api/v1/openrouter/auth/status", session, null));
        assertThat(status.get("authenticated").asBoolean()).isFalse();
        HttpResponse<String> info = withCookie("GET", "/api/v1/openrouter/auth/user-info", session, null);
        assertThat(info.statusCode()).isEqualTo(401);
        assertThat(RestApiTest.json(info).get("detail").asText()).isEqualTo("Session expired");

        // never quietly charged to the operator instead
        HttpResponse<String> chat = withCookie("POST", "/v1/chat/completions", session,
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(chat.statusCode()).isEqualTo(401);
        assertThat(RestApiTest.json(chat).get("error").get("code").asText()).isEqualTo("invalid_session");
        assertThat(openRouter.chatRequests()).isEmpty();
    }

    @Test
    void aRevokedUserKeyFailsForThatUserOnlyAndDoesNotCoolTheDeploymentDown() {
        String revoked = "sk-or-v1-soon-revoked-91b7";
        openRouter.userKey(revoked, "soon revoked", null, null);
        String session = sessionOf(service.post("/api/v1/openrouter/auth/validate-key",
                "{\"api_key\":\"" + revoked + "\"}").headers().firstValue("Set-Cookie").orElseThrow());
        openRouter.revokeKey(revoked);

        HttpResponse<String> mine = withCookie("POST", "/v1/chat/completions", session,
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(mine.statusCode()).isEqualTo(401);
        assertThat(RestApiTest.json(mine).get("error").get("code").asText()).isEqualTo("invalid_user_key");
        assertThat(mine.body()).doesNotContain(revoked);

        // no cooldown, no exclusion, no unhealthy provider: the deployment is fine for everyone else
        JsonNode deployments = RestApiTest.json(service.get("/api/v1/models/status")).get("deployments");
        assertThat(deployments.path("openrouter:" + MODEL).path("cooldown_until").isMissingNode()
                || deployments.path("openrouter:" + MODEL).path("cooldown_until").isNull()).as(deployments.toString()).isTrue();
        HttpResponse<String> operators = service.post("/v1/chat/completions",
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(operators.statusCode()).as(operators.body()).isEqualTo(200);
        assertThat(openRouter.chatRequests().getLast().headers().get("authorization")).isEqualTo("Bearer " + OPERATOR_KEY);
    }

    @Test
    void theOAuthSignInIsOpenRoutersPkceRoundTrip() {
        JsonNode begun = RestApiTest.json(service.post("/api/v1/openrouter/auth/oauth/initiate", ""));
        String authUrl = begun.get("auth_url").asText();
        String verifier = begun.get("code_verifier").asText();
        String state = begun.get("state").asText();
        URI auth = URI.create(authUrl);
        assertThat(auth.getPath()).isEqualTo("/auth");
        assertThat(auth.getQuery()).contains("callback_url=" + CALLBACK + "?state=" + state)
                .contains("code_challenge_method=S256").doesNotContain(verifier);

        String newKey = "sk-or-v1-from-sign-in-5e1f";
        String code = openRouter.approveSignIn(authUrl, newKey, "signed in", "user_oauth_1");

        // the wrong verifier is refused, and the state is then spent
        HttpResponse<String> wrong = service.post("/api/v1/openrouter/auth/oauth/callback",
                "{\"code\":\"" + code + "\",\"state\":\"" + state + "\",\"code_verifier\":\"" + verifier + "x\"}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(RestApiTest.json(wrong).get("detail").asText()).contains("Invalid code verifier");

        JsonNode again = RestApiTest.json(service.post("/api/v1/openrouter/auth/oauth/initiate", ""));
        String code2 = openRouter.approveSignIn(again.get("auth_url").asText(), newKey, "signed in", "user_oauth_1");
        HttpResponse<String> done = service.post("/api/v1/openrouter/auth/oauth/callback",
                "{\"code\":\"" + code2 + "\",\"state\":\"" + again.get("state").asText() + "\",\"code_verifier\":\""
                        + again.get("code_verifier").asText() + "\"}");
        JsonNode body = RestApiTest.json(done);
        assertThat(body.get("success").asBoolean()).as(done.body()).isTrue();
        assertThat(body.get("user").get("id").asText()).isEqualTo("user_oauth_1");
        assertThat(done.body()).doesNotContain(newKey);
        String session = body.get("session_id").asText();
        assertThat(done.headers().firstValue("Set-Cookie").orElseThrow()).contains("openrouter_session_id=" + session);
        assertThat(RestApiTest.json(withCookie("GET", "/api/v1/openrouter/auth/status", session, null))
                .get("auth_method").asText()).isEqualTo("oauth");

        HttpResponse<String> replay = service.post("/api/v1/openrouter/auth/oauth/callback",
                "{\"code\":\"" + code2 + "\",\"state\":\"" + again.get("state").asText() + "\",\"code_verifier\":\""
                        + again.get("code_verifier").asText() + "\"}");
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(RestApiTest.json(replay).get("detail").asText()).contains("Invalid OAuth state");

        HttpResponse<String> chat = withCookie("POST", "/v1/chat/completions", session,
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(openRouter.chatRequests().getLast().headers().get("authorization")).isEqualTo("Bearer " + newKey);
    }

    @Test
    void noKeyIsEverInTheDataDirectoryOrALogLine() throws IOException {
        service.post("/api/v1/openrouter/auth/validate-key", "{\"api_key\":\"" + USER_KEY + "\"}");
        service.manager().feedback().monitor().flush(java.time.Duration.ofSeconds(5));
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(text).as(f.toString()).doesNotContain(USER_KEY).doesNotContain(OPERATOR_KEY);
            }
        }
        for (ILoggingEvent e : logs.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(USER_KEY).doesNotContain(OPERATOR_KEY);
        }
    }

    private static String sessionOf(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        return pair.substring(pair.indexOf('=') + 1);
    }

    private static HttpResponse<String> withCookie(String method, String path, String session, String json) {
        HttpRequest.Builder b = service.request(path).header("Cookie", "openrouter_session_id=" + session);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return service.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
