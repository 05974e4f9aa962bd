package dev.switchboard.server.http;

import dev.switchboard.config.Secret;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Bearer-key check for every route except the health probe. Keys compare in constant time. */
public final class Auth {
    public static final String HEALTH_PATH = "/api/v1/models/health";

    /** The request attribute naming the key a request came with: its id, never the key. */
    public static final String KEY_ID = "switchboard.key-id";

    private final List<byte[]> keys;
    private final List<String> ids;

    public Auth(List<Secret> keys) {
        this.keys = keys.stream().map(k -> k.reveal().getBytes(StandardCharsets.UTF_8)).toList();
        this.ids = this.keys.stream().map(Auth::keyId).toList();
    }

    /** {@code key-} and the first 8 hex digits of the key's SHA-256: tells keys apart in logs without revealing one. */
    static String keyId(byte[] key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key);
            return "key-" + java.util.HexFormat.of().formatHex(hash, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    public void check(Context ctx) {
        if (keys.isEmpty() || ctx.path().equals(HEALTH_PATH) || "OPTIONS".equals(ctx.method().name()) || dashboardAsset(ctx)) {
            return;
        }
        String header = ctx.header("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        if (presented == null || presented.isEmpty()) {
            throw new Unauthorized("missing API key: send 'Authorization: Bearer <key>'");
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        int match = -1;
        for (int i = 0; i < keys.size(); i++) {
            if (MessageDigest.isEqual(keys.get(i), given) && match < 0) { // every key is compared: constant time
                match = i;
            }
        }
        if (match < 0) {
            throw new Unauthorized("invalid API key");
        }
        ctx.attribute(KEY_ID, ids.get(match));
    }

    /** The dashboard's static files hold no data (its API calls carry the key), so a browser can load them keyless. */
    private static boolean dashboardAsset(Context ctx) {
        String method = ctx.method().name();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        String path = ctx.path();
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/ui/") || path.startsWith("/webjars/");
    }

    /** Raised before any handler runs; mapped to 401. */
    public static final class Unauthorized extends RuntimeException {
        public Unauthorized(String message) {
            super(message, null, false, false);
        }
    }
}
