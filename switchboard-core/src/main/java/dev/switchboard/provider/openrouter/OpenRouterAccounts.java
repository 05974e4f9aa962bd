package dev.switchboard.provider.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.config.Secret;
import dev.switchboard.json.Json;
import dev.switchboard.provider.http.HttpCall;
import dev.switchboard.provider.http.HttpResult;
import dev.switchboard.provider.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenRouter's account endpoints, for users who bring their own key: what a key is ({@code GET /key}, or the older
 * {@code GET /auth/key} where that is all an OpenRouter-compatible server has), and the OAuth PKCE exchange of a
 * sign-in code for a new key ({@code POST /auth/keys}). Every text that comes back is scrubbed of the key it was
 * about.
 */
public final class OpenRouterAccounts {
    /** What a key check found. */
    public sealed interface Check {}

    /**
     * An accepted key, from {@code data} of OpenRouter's answer: its label, what it has spent and may spend (USD),
     * whether it is a free-tier key, and who created it.
     */
    public record Key(String label, Double usageUsd, Double limitUsd, Double limitRemainingUsd, Boolean freeTier,
                      String creatorUserId) implements Check {}

    /** Turned away by OpenRouter (401, 402, 403), with its reason. */
    public record Rejected(String reason) implements Check {}

    private final String name;
    private final URI apiBase;
    private final Map<String, String> publicHeaders;
    private final HttpTransport transport;
    private final Duration timeout;

    OpenRouterAccounts(String name, URI apiBase, Map<String, String> publicHeaders, HttpTransport transport,
                       Duration timeout) {
        this.name = name;
        this.apiBase = URI.create(apiBase.toString().replaceAll("/+$", "") + "/");
        this.publicHeaders = Map.copyOf(publicHeaders);
        this.transport = transport;
        this.timeout = timeout;
    }

    /**
     * Asks OpenRouter about {@code key}. Throws {@link AccountException} when OpenRouter cannot be asked (down,
     * unexpected answer): that is not the key's fault and must not read as "invalid".
     */
    public Check check(Secret key) {
        HttpResult r = get("key", key);
        if (r.status() == 404) {
            r = get("auth/key", key);
        }
        if (r.status() == 401 || r.status() == 402 || r.status() == 403) {
            return new Rejected(key.scrub(message(r, "OpenRouter did not accept the key")));
        }
        if (!r.ok()) {
            throw new AccountException(name + " answered " + r.status() + " to the key check: "
                    + key.scrub(message(r, "no reason given")));
        }
        JsonNode data = read(r, key).path("data");
        if (!data.isObject()) {
            throw new AccountException(name + " answered the key check without 'data'");
        }
        return new Key(text(data, "label"), number(data, "usage"), number(data, "limit"), number(data, "limit_remaining"),
                data.path("is_free_tier").isBoolean() ? data.path("is_free_tier").asBoolean() : null,
                text(data, "creator_user_id"));
    }

    /**
     * The OAuth PKCE exchange: the code OpenRouter sent the user back with, and the verifier whose S256 challenge
     * started the sign-in, for a new key of the user's. Empty-handed (OpenRouter refused the code or the verifier)
     * is a {@link Rejected}; OpenRouter unreachable is an {@link AccountException}.
     */
    public Exchange exchange(String code, String verifier) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("code_verifier", verifier);
        body.put("code_challenge_method", "S256");
        Map<String, String> headers = new LinkedHashMap<>(publicHeaders);
        headers.put("Content-Type", "application/json");
        HttpResult r = transport.send(HttpCall.post(apiBase.resolve("auth/keys"), headers, Json.bytes(body), timeout),
                new HttpTransport.FailureContext(name, null));
        if (r.status() >= 400 && r.status() < 500) {
            return new Exchange(null, new Rejected(message(r, "OpenRouter refused the sign-in code")));
        }
        if (!r.ok()) {
            throw new AccountException(name + " answered " + r.status() + " to the sign-in exchange");
        }
        JsonNode answer;
        try {
            answer = Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new AccountException(name + " answered the sign-in exchange with malformed JSON");
        }
        Secret key = Secret.of(answer.path("key").asText(null));
        if (key == null) {
            throw new AccountException(name + " answered the sign-in exchange without a key");
        }
        return new Exchange(key, null);
    }

    /** A sign-in exchange's result: the user's new key, or why there is none. */
    public record Exchange(Secret key, Rejected rejected) {}

    /**
     * Where to send a user to sign in: OpenRouter's {@code /auth} page beside its API, with the callback and the
     * S256 challenge of a verifier only this server knows.
     */
    public URI authorizeUrl(String callbackUrl, String challenge) {
        String site = apiBase.toString().replaceAll("/api/v1/?$", "").replaceAll("/+$", "");
        return URI.create(site + "/auth?callback_url=" + URLEncoder.encode(callbackUrl, StandardCharsets.UTF_8)
                + "&code_challenge=" + URLEncoder.encode(challenge, StandardCharsets.UTF_8) + "&code_challenge_method=S256");
    }

    private HttpResult get(String path, Secret key) {
        Map<String, String> headers = new LinkedHashMap<>(publicHeaders);
        headers.put("Authorization", "Bearer " + key.reveal());
        return transport.send(HttpCall.get(apiBase.resolve(path), headers, timeout), new HttpTransport.FailureContext(name, null));
    }

    private JsonNode read(HttpResult r, Secret key) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new AccountException(name + " answered the key check with malformed JSON: "
                    + key.scrub(String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        }
    }

    /** OpenRouter's {@code error.message}, else the body's first line, else {@code otherwise}. */
    private static String message(HttpResult r, String otherwise) {
        String text = r.bodyText();
        try {
            JsonNode n = Json.mapper().readTree(text);
            String m = n.path("error").path("message").asText("");
            if (!m.isBlank()) {
                return m;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: fall through to the text itself
        }
        String line = text == null ? "" : text.lines().findFirst().orElse("").strip();
        return line.isEmpty() ? otherwise : line.length() > 300 ? line.substring(0, 300) : line;
    }

    private static String text(JsonNode data, String field) {
        JsonNode v = data.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    private static Double number(JsonNode data, String field) {
        JsonNode v = data.path(field);
        return v.isNumber() ? v.asDouble() : null;
    }

    /** OpenRouter could not be asked, or answered something that is not an answer. */
    public static final class AccountException extends RuntimeException {
        public AccountException(String message) {
            super(message, null, false, false);
        }
    }
}
