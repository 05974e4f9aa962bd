package dev.switchboard.server.session;

import dev.switchboard.model.Caller;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Map;

/**
 * Who a request is for: the user of the OpenRouter session it names (the seed's {@code openrouter_session_id}
 * cookie, or the {@code X-OpenRouter-Session} header for clients without cookies), else the operator. A request
 * that names a session which is gone is refused rather than quietly charged to the operator's key.
 */
public final class Callers {
    public static final String COOKIE = "openrouter_session_id";
    public static final String HEADER = "X-OpenRouter-Session";
    private static final String ATTRIBUTE = "switchboard.sessions";

    private Callers() {}

    /** A before-handler's work: makes the sessions reachable from this request's doors. */
    public static void attach(Context ctx, Sessions sessions) {
        ctx.attribute(ATTRIBUTE, sessions);
    }

    /** The session id a request carries (the header first, as it is chosen per request), or null. */
    public static String sessionId(Context ctx) {
        String header = ctx.header(HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String cookie = ctx.cookie(COOKIE);
        return cookie == null || cookie.isBlank() ? null : cookie;
    }

    /** The caller of this request; throws {@link SessionException} when it names a session that is gone. */
    public static Caller of(Context ctx) {
        String id = sessionId(ctx);
        Sessions sessions = ctx.attribute(ATTRIBUTE);
        if (id == null || sessions == null) {
            return Caller.OPERATOR;
        }
        return sessions.find(id).map(Sessions.Session::caller).orElseThrow(() -> new SessionException(
                "the OpenRouter session this request names has expired or was closed; connect your OpenRouter key "
                        + "again (POST /api/v1/openrouter/auth/validate-key) or send the request without it"));
    }

    /**
     * The session cookie as the seed sets it: HttpOnly, SameSite=Lax, a day long, for every path; Secure in
     * production ({@code ENVIRONMENT=production}, the seed's switch) or when the request came over HTTPS.
     */
    public static Cookie cookie(Context ctx, String sessionId, Map<String, String> env) {
        return new Cookie(COOKIE, sessionId, "/", (int) Sessions.TTL.toSeconds(), secure(ctx, env), true, null, SameSite.LAX);
    }

    /** The same cookie, expired, so the browser drops it. */
    public static Cookie expired(Context ctx, Map<String, String> env) {
        return new Cookie(COOKIE, "", "/", 0, secure(ctx, env), true, null, SameSite.LAX);
    }

    private static boolean secure(Context ctx, Map<String, String> env) {
        return "production".equalsIgnoreCase(env.getOrDefault("ENVIRONMENT", ""))
                || "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(String.valueOf(ctx.header("X-Forwarded-Proto")));
    }
}
