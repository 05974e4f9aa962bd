package dev.switchboard.server.openrouter;

import dev.switchboard.config.Secret;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.provider.openrouter.OpenRouterAccounts;
import dev.switchboard.server.http.BodyParser;
import dev.switchboard.server.http.HttpBodies;
import dev.switchboard.server.session.Callers;
import dev.switchboard.server.session.SessionException;
import dev.switchboard.server.session.Sessions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's "connect your OpenRouter key" routes ({@code src/player_experience/api/routers/openrouter_auth.py}),
 * with its paths and answers, so its frontend unlocks the model page: a user brings their own key (checked against
 * OpenRouter) or signs in with OpenRouter's OAuth PKCE flow, and gets a session cookie; from then on their OpenRouter
 * calls are paid with their key. The key is never sent back, logged or stored in clear.
 */
public final class OpenRouterAuthApi {
    private static final String BASE = "/api/v1/openrouter/auth";
    /** Where OpenRouter sends a signed-in user back to (the seed's setting): the frontend page that finishes it. */
    static final String CALLBACK_ENV = "OPENROUTER_REDIRECT_URI";
    private static final int MAX_KEY_CHARS = 512;

    private final ModelManager manager;
    private final Sessions sessions;
    private final long maxBodyBytes;

    public OpenRouterAuthApi(ModelManager manager, Sessions sessions, long maxBodyBytes) {
        this.manager = manager;
        this.sessions = sessions;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE + "/validate-key", this::validateKey);
        routes.post(BASE + "/oauth/initiate", this::initiate);
        routes.post(BASE + "/oauth/callback", this::callback);
        routes.get(BASE + "/user-info", this::userInfo);
        routes.post(BASE + "/logout", this::logout);
        routes.get(BASE + "/status", this::status);
    }

    record KeyValidation(String apiKey, Boolean validateOnly) {}

    record OAuthCallback(String code, String state, String codeVerifier) {}

    /** {@code {valid, user, error}}; a valid key opens a session (and sets its cookie) unless {@code validate_only}. */
    private void validateKey(Context ctx) {
        KeyValidation body = BodyParser.parseClosed(ctx, KeyValidation.class, maxBodyBytes);
        Secret key = Secret.of(body.apiKey());
        if (key == null) {
            throw new InvalidRequestException("api_key", "is required: the OpenRouter key to connect");
        }
        if (key.reveal().length() > MAX_KEY_CHARS) {
            throw new InvalidRequestException("api_key", "is longer than " + MAX_KEY_CHARS + " characters; not an OpenRouter key");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        OpenRouterAccounts.Check check;
        try {
            check = manager.openRouter().accounts().check(key);
        } catch (OpenRouterAccounts.AccountException | ModelFailure e) {
            // The seed answers a failed check as not valid, with the reason; the key itself is not the cause here.
            answer(ctx, out, false, null, "could not check the key with OpenRouter: " + key.scrub(e.getMessage()));
            return;
        }
        switch (check) {
            case OpenRouterAccounts.Rejected r -> answer(ctx, out, false, null, "Invalid API key: " + r.reason());
            case OpenRouterAccounts.Key k -> {
                Map<String, Object> user = Users.of(k, key);
                if (!Boolean.TRUE.equals(body.validateOnly())) {
                    String id = sessions.create(user, Users.id(k, key), Users.name(k), Sessions.Method.API_KEY, key);
                    ctx.cookie(Callers.cookie(ctx, id, manager.env()));
                }
                answer(ctx, out, true, user, null);
            }
        }
    }

    private static void answer(Context ctx, Map<String, Object> out, boolean valid, Map<String, Object> user, String error) {
        out.put("valid", valid);
        out.put("user", user);
        out.put("error", error);
        HttpBodies.json(ctx, out);
    }

    /** {@code {auth_url, code_verifier, state}}: where to send the user, and what must come back with the code. */
    private void initiate(Context ctx) {
        String callback = Optional.ofNullable(manager.env().get(CALLBACK_ENV)).map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new NotConfigured("OpenRouter sign-in is not configured: set " + CALLBACK_ENV
                        + " to the frontend page OpenRouter sends the user back to (it then posts the code to "
                        + BASE + "/oauth/callback)"));
        OpenRouterAccounts accounts = manager.openRouter().accounts();
        String verifier = Pkce.verifier();
        String state = sessions.beginSignIn(verifier);
        // OpenRouter returns only ?code=; the state rides on the callback URL so the page gets it back as well.
        String back = callback + (callback.contains("?") ? "&" : "?") + "state=" + state;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("auth_url", accounts.authorizeUrl(back, Pkce.challenge(verifier)).toString());
        out.put("code_verifier", verifier);
        out.put("state", state);
        HttpBodies.json(ctx, out);
    }

    /** {@code {success, user, session_id, error}}: the code exchanged for the user's key, and a session for it. */
    private void callback(Context ctx) {
        OAuthCallback body = BodyParser.parseClosed(ctx, OAuthCallback.class, maxBodyBytes);
        require("code", body.code());
        require("state", body.state());
        require("code_verifier", body.codeVerifier());
        switch (sessions.finishSignIn(body.state(), body.codeVerifier())) {
            case UNKNOWN_STATE -> throw new InvalidRequestException("state", "Invalid OAuth state (unknown, used or expired)");
            case WRONG_VERIFIER -> throw new InvalidRequestException("code_verifier", "Invalid code verifier");
            case OK -> { }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            OpenRouterAccounts accounts = manager.openRouter().accounts();
            OpenRouterAccounts.Exchange exchange = accounts.exchange(body.code(), body.codeVerifier());
            if (exchange.rejected() != null) {
                signedIn(ctx, out, null, null, "Token exchange failed: " + exchange.rejected().reason());
                return;
            }
            Secret key = exchange.key();
            if (!(accounts.check(key) instanceof OpenRouterAccounts.Key k)) {
                signedIn(ctx, out, null, null, "Failed to get user info: OpenRouter did not accept the new key");
                return;
            }
            Map<String, Object> user = Users.of(k, key);
            String id = sessions.create(user, Users.id(k, key), Users.name(k), Sessions.Method.OAUTH, key);
            ctx.cookie(Callers.cookie(ctx, id, manager.env()));
            signedIn(ctx, out, user, id, null);
        } catch (OpenRouterAccounts.AccountException | ModelFailure e) {
            signedIn(ctx, out, null, null, "could not finish the sign-in with OpenRouter: " + e.getMessage());
        }
    }

    private static void signedIn(Context ctx, Map<String, Object> out, Map<String, Object> user, String sessionId, String error) {
        out.put("success", error == null);
        out.put("user", user);
        out.put("session_id", sessionId);
        out.put("error", error);
        HttpBodies.json(ctx, out);
    }

    /** {@code {user, auth_method}}, plus what the user's key paid through Switchboard; 401 without a live session. */
    private void userInfo(Context ctx) {
        String id = Callers.sessionId(ctx);
        if (id == null) {
            throw new SessionException("Not authenticated");
        }
        Sessions.Session s = sessions.find(id).orElseThrow(() -> new SessionException("Session expired"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", s.user());
        out.put("auth_method", s.method().wire());
        out.put("spend", manager.diagnostics().callerSpend(s.caller()));
        HttpBodies.json(ctx, out);
    }

    private void logout(Context ctx) {
        sessions.delete(Callers.sessionId(ctx));
        ctx.cookie(Callers.expired(ctx, manager.env()));
        HttpBodies.json(ctx, Map.of("message", "Logged out successfully"));
    }

    /** {@code {authenticated, auth_method, user}}, never an error: the frontend asks on every page load. */
    private void status(Context ctx) {
        Optional<Sessions.Session> s = Optional.ofNullable(Callers.sessionId(ctx)).flatMap(sessions::find);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("authenticated", s.isPresent());
        out.put("auth_method", s.map(x -> x.method().wire()).orElse(null));
        out.put("user", s.map(Sessions.Session::user).orElse(null));
        HttpBodies.json(ctx, out);
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, "is required");
        }
        if (value.length() > 2048) {
            throw new InvalidRequestException(field, "is longer than 2048 characters");
        }
    }

    /** The sign-in has no callback to send users back to: the seed's 501. */
    public static final class NotConfigured extends RuntimeException {
        NotConfigured(String message) {
            super(message, null, false, false);
        }
    }
}
