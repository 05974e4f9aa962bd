package dev.switchboard.server.http;

import dev.switchboard.model.DeploymentKey;
import io.javalin.http.Context;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, when {@code server.access_log} is on: method, path (no query string: it may carry
 * anything), status, duration, the model that answered and the id of the key used. Never a key, a header or a body.
 * Logged as {@code switchboard.access}, so a logging configuration can route it apart.
 */
public final class AccessLog {
    /** The request attribute a handler sets to the deployment that answered ({@code provider:model}). */
    public static final String MODEL = "switchboard.model";
    private static final Logger log = LoggerFactory.getLogger("switchboard.access");

    private AccessLog() {}

    /** Notes which deployment served the request, for the access log. */
    public static void served(Context ctx, DeploymentKey deployment) {
        ctx.attribute(MODEL, deployment);
    }

    public static void write(Context ctx, Float ms) {
        Object model = ctx.attribute(MODEL);
        Object key = ctx.attribute(Auth.KEY_ID);
        log.info(String.format(Locale.ROOT, "%s %s %d %.1f ms model=%s key=%s", ctx.method().name(), ctx.path(),
                ctx.statusCode(), ms == null ? 0f : ms, model == null ? "-" : model, key == null ? "-" : key));
    }
}
