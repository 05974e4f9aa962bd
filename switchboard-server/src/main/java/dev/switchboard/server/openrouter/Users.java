package dev.switchboard.server.openrouter;

import dev.switchboard.config.Secret;
import dev.switchboard.provider.openrouter.OpenRouterAccounts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user object the seed's frontend reads ({@code id, email, name, credits, usage{requests, tokens}}), from what
 * OpenRouter says of a key. OpenRouter's key endpoint has no e-mail and no request or token counts, so
 * {@code email} is left out and {@code usage} is zero, as the seed answered; what it does have comes beside them
 * ({@code label}, {@code usage_usd}, {@code limit_usd}, {@code is_free_tier}). A figure OpenRouter does not give is
 * left out rather than null: the frontend formats {@code credits} whenever the key is there.
 */
final class Users {
    private Users() {}

    static Map<String, Object> of(OpenRouterAccounts.Key k, Secret key) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", id(k, key));
        u.put("name", name(k));
        if (k.limitRemainingUsd() != null) {
            u.put("credits", k.limitRemainingUsd());
        }
        u.put("usage", Map.of("requests", 0, "tokens", 0));
        putIfKnown(u, "label", k.label());
        putIfKnown(u, "usage_usd", k.usageUsd());
        putIfKnown(u, "limit_usd", k.limitUsd());
        putIfKnown(u, "is_free_tier", k.freeTier());
        return u;
    }

    /**
     * A stable id that reveals nothing of the key: OpenRouter's id of the key's creator when it gives one, else a
     * hash of the key (the same key is the same user).
     */
    static String id(OpenRouterAccounts.Key k, Secret key) {
        if (k.creatorUserId() != null) {
            return k.creatorUserId();
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.reveal().getBytes(StandardCharsets.UTF_8));
            return "openrouter-key-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key's label, as the seed named the user; OpenRouter labels keys with a masked form of the key. */
    static String name(OpenRouterAccounts.Key k) {
        return k.label() == null ? "OpenRouter User" : k.label();
    }

    private static void putIfKnown(Map<String, Object> u, String field, Object value) {
        if (value != null) {
            u.put(field, value);
        }
    }
}
