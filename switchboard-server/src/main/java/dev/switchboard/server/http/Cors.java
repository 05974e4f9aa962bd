package dev.switchboard.server.http;

import dev.switchboard.config.CorsConfig;
import io.javalin.http.Context;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * CORS as {@code server.cors} configures it, as the first {@code before} handler.
 *
 * <p>Hand-written because Javalin 7's bundled {@code CorsPlugin} echoes whatever headers a preflight asks for (it
 * cannot restrict them to an allow-list), answers a disallowed origin with a bare 400, and registers its handler
 * after ours, so a preflight (which never carries credentials) would meet the auth check first and get a 401.
 *
 * <ul>
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is answered here
 *       for any path and goes no further: 204 with the allow headers when origin and method are allowed, else a 403
 *       in the caller's JSON error shape naming what was refused.</li>
 *   <li>Any other request is served as before. One from an allowed origin gets the allow and expose headers, set now
 *       so that every answer carries them, errors and streams included (a page can read why it failed). The
 *       {@code Origin} never blocks a request here: browsers enforce CORS, and same-origin pages send it too.</li>
 * </ul>
 */
public final class Cors {
    private static final String PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

    private final CorsConfig config;
    private final Set<String> origins;
    private final String exposed;

    public Cors(CorsConfig config) {
        this.config = config;
        this.origins = Set.copyOf(config.allowedOrigins());
        this.exposed = String.join(", ", config.exposedHeaders());
    }

    public void handle(Context ctx) {
        String origin = ctx.header("Origin");
        String requestedMethod = ctx.header("Access-Control-Request-Method");
        if ("OPTIONS".equals(ctx.method().name()) && origin != null && requestedMethod != null) {
            preflight(ctx, origin, requestedMethod);
            ctx.skipRemainingHandlers(); // no auth (a preflight carries no credentials) and no route
            return;
        }
        ctx.header("Vary", "Origin"); // the answer differs by Origin, so a shared cache must keep them apart
        if (origin != null && allowed(origin)) {
            allowOrigin(ctx, origin);
            if (!exposed.isEmpty()) {
                ctx.header("Access-Control-Expose-Headers", exposed);
            }
        }
    }

    private void preflight(Context ctx, String origin, String method) {
        ctx.header("Vary", PREFLIGHT_VARY);
        if (!allowed(origin)) {
            ErrorWriter.write(ctx, ApiError.of(403, "permission_error", "cors_origin_not_allowed",
                    "CORS: origin '" + origin + "' is not allowed to call this API; server.cors.allowed_origins lists "
                            + "the origins that are"));
            return;
        }
        if (!config.allowedMethods().contains(method)) {
            ErrorWriter.write(ctx, ApiError.of(403, "permission_error", "cors_method_not_allowed",
                    "CORS: method '" + method + "' is not allowed from '" + origin + "'; server.cors.allowed_methods "
                            + "allows " + String.join(", ", config.allowedMethods())));
            return;
        }
        allowOrigin(ctx, origin);
        ctx.header("Access-Control-Allow-Methods", method);
        String headers = allowedHeaders(ctx.header("Access-Control-Request-Headers"));
        if (!headers.isEmpty()) {
            ctx.header("Access-Control-Allow-Headers", headers);
        }
        ctx.header("Access-Control-Max-Age", Integer.toString(config.maxAgeSeconds()));
        ctx.status(204);
    }

    private void allowOrigin(Context ctx, String origin) {
        ctx.header("Access-Control-Allow-Origin", config.anyOrigin() ? CorsConfig.ANY_ORIGIN : origin);
        if (config.allowCredentials()) {
            ctx.header("Access-Control-Allow-Credentials", "true");
        }
    }

    private boolean allowed(String origin) {
        if (config.anyOrigin()) {
            return true;
        }
        try {
            return origins.contains(CorsConfig.normaliseOrigin(origin));
        } catch (IllegalArgumentException e) {
            return false; // "null" (sandboxed frames, file: pages) and anything else that is not an origin
        }
    }

    /**
     * The requested headers that the allow-list covers, lower case. The others are left out rather than refused:
     * the browser then refuses the call itself and names the header in its console.
     */
    private String allowedHeaders(String requested) {
        if (requested == null || requested.isBlank()) {
            return "";
        }
        Set<String> out = new LinkedHashSet<>();
        for (String name : requested.split(",")) {
            String header = name.strip().toLowerCase(Locale.ROOT);
            if (!header.isEmpty() && headerAllowed(header)) {
                out.add(header);
            }
        }
        return String.join(", ", out);
    }

    private boolean headerAllowed(String header) {
        for (String allowed : config.allowedHeaders()) {
            boolean prefix = allowed.endsWith("*");
            if (prefix ? header.startsWith(allowed.substring(0, allowed.length() - 1)) : header.equals(allowed)) {
                return true;
            }
        }
        return false;
    }
}
