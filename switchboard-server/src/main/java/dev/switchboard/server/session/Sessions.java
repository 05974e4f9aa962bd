package dev.switchboard.server.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.switchboard.config.Secret;
import dev.switchboard.json.Json;
import dev.switchboard.model.Caller;
import dev.switchboard.state.ExpiringState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser sessions of users who connected their own OpenRouter key, and their pending OAuth sign-ins, kept in the
 * {@link ExpiringState} (so every replica sharing Redis sees them). A session id is 32 random bytes; it is stored
 * only as its SHA-256, so the store does not hold a usable id either. The user's key is sealed ({@link SecretBox})
 * and bound to its session.
 */
public final class Sessions {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);
    /** How long a session lasts: the seed's cookie lifetime. */
    public static final Duration TTL = Duration.ofHours(24);
    /** How long a started OAuth sign-in may take. */
    static final Duration SIGN_IN_TTL = Duration.ofMinutes(10);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How a session's user connected: their own key pasted in, or the OAuth sign-in. */
    public enum Method {
        API_KEY("api_key"), OAUTH("oauth");

        private final String wire;

        Method(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Method fromWire(String s) {
            return "oauth".equals(s) ? OAUTH : API_KEY;
        }
    }

    /** A live session: the user as the seed's frontend reads it, how they connected, and who pays for their calls. */
    public record Session(Map<String, Object> user, Method method, Caller caller, Instant expiresAt) {}

    /** What is stored per session; the key only sealed. */
    record Stored(Map<String, Object> user, String authMethod, String userId, String name, String sealedKey,
                  Instant createdAt, Instant expiresAt) {}

    /** What is stored per pending sign-in: the verifier's hash, never the verifier. */
    record SignIn(String verifierSha256) {}

    /** How a sign-in's return checked out. */
    public enum SignInCheck { OK, UNKNOWN_STATE, WRONG_VERIFIER }

    private final Supplier<ExpiringState> stores;
    private final Supplier<SecretBox> boxes;
    private volatile SecretBox box;
    private final Clock clock;

    /**
     * @param store the manager's state store, asked for on each use (it exists only while the manager runs)
     * @param box   opened on first use, so a server nobody connects a key to never makes a session key file
     */
    public Sessions(Supplier<ExpiringState> store, Supplier<SecretBox> box, Clock clock) {
        this.stores = store;
        this.boxes = box;
        this.clock = clock;
    }

    private SecretBox box() {
        SecretBox b = box;
        if (b == null) {
            synchronized (this) {
                b = box;
                if (b == null) {
                    box = b = boxes.get();
                }
            }
        }
        return b;
    }

    /** Opens a session for a user whose key OpenRouter accepted; returns the new session id. */
    public String create(Map<String, Object> user, String userId, String name, Method method, Secret key) {
        String id = token(32);
        String at = storageKey("session:", id);
        Instant now = clock.instant();
        Stored s = new Stored(user, method.wire(), userId, name, box().seal(key.reveal(), at), now, now.plus(TTL));
        stores.get().put(at, Json.string(s), s.expiresAt());
        return id;
    }

    /**
     * The live session {@code id} names; empty when there is none, it expired, or it cannot be read here (sealed
     * with another secret key: replicas must share {@code SWITCHBOARD_SECRET_KEY}).
     */
    public Optional<Session> find(String id) {
        if (id == null || !TOKEN.matcher(id).matches()) {
            return Optional.empty();
        }
        String at = storageKey("session:", id);
        Optional<String> json = stores.get().get(at);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        try {
            Stored s = Json.mapper().readValue(json.get(), Stored.class);
            Secret key = Secret.of(box().open(s.sealedKey(), at));
            return Optional.of(new Session(s.user(), Method.fromWire(s.authMethod()),
                    new Caller(s.userId(), s.name(), key), s.expiresAt()));
        } catch (JsonProcessingException | SecretBox.Unsealable e) {
            log.warn("ignoring a session that cannot be read here ({}); if replicas share state, give them the same {}",
                    e.getClass().getSimpleName(), SecretBox.ENV);
            return Optional.empty();
        }
    }

    public void delete(String id) {
        if (id != null && TOKEN.matcher(id).matches()) {
            stores.get().delete(storageKey("session:", id));
        }
    }

    /** Starts an OAuth sign-in for {@code verifier}; returns the state that must come back with it. */
    public String beginSignIn(String verifier) {
        String state = token(24);
        stores.get().put(storageKey("signin:", state), Json.string(new SignIn(sha256Hex(verifier))), clock.instant().plus(SIGN_IN_TTL));
        return state;
    }

    /** Checks a returning sign-in; a state is good for one try, whatever its outcome. */
    public SignInCheck finishSignIn(String state, String verifier) {
        if (state == null || !TOKEN.matcher(state).matches()) {
            return SignInCheck.UNKNOWN_STATE;
        }
        Optional<String> json = stores.get().take(storageKey("signin:", state));
        if (json.isEmpty()) {
            return SignInCheck.UNKNOWN_STATE;
        }
        try {
            SignIn s = Json.mapper().readValue(json.get(), SignIn.class);
            boolean same = verifier != null && MessageDigest.isEqual(s.verifierSha256().getBytes(StandardCharsets.US_ASCII),
                    sha256Hex(verifier).getBytes(StandardCharsets.US_ASCII));
            return same ? SignInCheck.OK : SignInCheck.WRONG_VERIFIER;
        } catch (JsonProcessingException e) {
            return SignInCheck.UNKNOWN_STATE;
        }
    }

    /** {@code bytes} random bytes, URL-safe base64 without padding. */
    static String token(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String storageKey(String kind, String token) {
        return kind + sha256Hex(token);
    }

    static String sha256Hex(String s) {
        return HexFormat.of().formatHex(SecretBox.sha256(s.getBytes(StandardCharsets.UTF_8)));
    }
}
