package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenRouter's accounts as {@link MockOpenRouterServer} serves them: the keys it knows ({@code GET /key} and the older
 * {@code GET /auth/key} describe the caller's key), and the OAuth PKCE sign-in ({@code POST /auth/keys} exchanges a
 * code for a new key, and checks the verifier against the S256 challenge the sign-in began with, as OpenRouter
 * does).
 */
public final class MockOpenRouterAccounts {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code /key} says of a key. {@code limitRemaining} null: no limit. */
    public record Account(String label, Double usage, Double limit, Double limitRemaining, String creatorUserId) {}

    private record SignIn(String challenge, String method, String newKey, Account account) {}

    private final Map<String, Account> keys = new ConcurrentHashMap<>();
    private final Map<String, SignIn> codes = new ConcurrentHashMap<>();

    /** Registers a key. */
    void add(String key, Account account) {
        keys.put(key, account);
    }

    void remove(String key) {
        keys.remove(key);
    }

    Account find(String key) {
        return keys.get(key);
    }

    /**
     * What OpenRouter's sign-in page does when a user approves: remembers the challenge, and gives the code the user
     * is sent back with. The key the code is later exchanged for is {@code newKey}, described by {@code account}.
     */
    String approve(String challenge, String method, String newKey, Account account) {
        String code = "code-" + UUID.randomUUID();
        codes.put(code, new SignIn(challenge, method, newKey, account));
        return code;
    }

    /** {@code {data: {...}}} for a known key, else null. */
    ObjectNode describe(String key) {
        Account a = keys.get(key);
        if (a == null) {
            return null;
        }
        ObjectNode out = JSON.createObjectNode();
        ObjectNode data = out.putObject("data").put("label", a.label());
        number(data, "usage", a.usage());
        number(data, "limit", a.limit());
        number(data, "limit_remaining", a.limitRemaining());
        data.put("is_free_tier", false).put("is_provisioning_key", false);
        if (a.creatorUserId() != null) {
            data.put("creator_user_id", a.creatorUserId());
        }
        return out;
    }

    /**
     * The exchange: status and body. A code is good once; the verifier must hash to the challenge (S256) or equal it
     * (plain), and the method must be the one the sign-in began with.
     */
    Map.Entry<Integer, ObjectNode> exchange(JsonNode body) {
        String code = body.path("code").asText(null);
        String verifier = body.path("code_verifier").asText(null);
        String method = body.path("code_challenge_method").asText("plain");
        SignIn s = code == null ? null : codes.remove(code);
        if (s == null) {
            return Map.entry(403, MockOpenRouterServer.errorJson(403, "Invalid code", null));
        }
        String expected = "S256".equals(s.method()) ? s256(verifier) : verifier;
        if (verifier == null || !method.equals(s.method()) || !s.challenge().equals(expected)) {
            return Map.entry(403, MockOpenRouterServer.errorJson(403, "Invalid code_verifier or code_challenge_method", null));
        }
        keys.put(s.newKey(), s.account());
        return Map.entry(200, JSON.createObjectNode().put("key", s.newKey()).put("user_id", s.account().creatorUserId()));
    }

    static String s256(String verifier) {
        if (verifier == null) {
            return null;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void number(ObjectNode n, String field, Double v) {
        if (v == null) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }
}
