package dev.switchboard.server.http;

import dev.switchboard.config.Secret;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Bearer-key check for every route except the health probe. Keys compare in constant time. */
public final class Auth {
    public static final String HEALTH_PATH = "/api/v1/models/health";

    private final List<byte[]> keys;

    public Auth(List<Secret> keys) {
        this.keys = keys.stream().map(k -> k.reveal().getBytes(StandardCharsets.UTF_8)).toList();
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
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(key, given);
        }
        if (!match) {
            throw new Unauthorized("invalid API key");
        }
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
