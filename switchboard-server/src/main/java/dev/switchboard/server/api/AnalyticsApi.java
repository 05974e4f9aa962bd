package dev.switchboard.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.server.http.BodyParser;
import dev.switchboard.server.http.HttpBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics events the seed's frontend reports (which model a user picked, which filter, their preferences, how
 * satisfied they were), kept so an operator can read them back. Each {@code POST /api/v1/analytics/<kind>} is checked
 * strictly ({@link AnalyticsBodies}), stamped with {@code recorded_at}, and appended to the list
 * {@code analytics:<kind>} of the manager's expiring state: in Redis when replicas share state, so every replica
 * records into and reads the same lists, else in the data directory's database. Each kind keeps its newest
 * {@value #KEEP} events, for {@link #LIFETIME} after the last one.
 *
 * <p>A recorded event is answered {@code 200 {"status":"recorded","event":"<kind>"}}, as {@code /feedback} answers:
 * the event joins a list rather than becoming a resource with an address of its own, which is what a 201 would
 * promise. {@code GET /api/v1/analytics/<kind>?limit=} reads the newest events, newest first.
 */
public final class AnalyticsApi {
    private static final Logger log = LoggerFactory.getLogger(AnalyticsApi.class);
    static final String BASE = "/api/v1/analytics";
    static final int KEEP = 10_000;
    static final Duration LIFETIME = Duration.ofDays(30);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** The four kinds: the path the frontend posts to, and its body. */
    enum Kind {
        MODEL_SELECTION("model-selection", AnalyticsBodies.ModelSelection.class),
        FILTER_USAGE("filter-usage", AnalyticsBodies.FilterUsage.class),
        USER_PREFERENCES("user-preferences", AnalyticsBodies.UserPreferences.class),
        MODEL_SATISFACTION("model-satisfaction", AnalyticsBodies.ModelSatisfaction.class);

        final String path;
        final Class<? extends AnalyticsBodies.Body> body;

        Kind(String path, Class<? extends AnalyticsBodies.Body> body) {
            this.path = path;
            this.body = body;
        }

        String list() {
            return "analytics:" + path;
        }
    }

    private final ModelManager manager;
    private final long maxBodyBytes;

    public AnalyticsApi(ModelManager manager, long maxBodyBytes) {
        this.manager = manager;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void register(RoutesConfig routes) {
        for (Kind kind : Kind.values()) {
            routes.post(BASE + "/" + kind.path, ctx -> record(ctx, kind));
            routes.get(BASE + "/" + kind.path, ctx -> read(ctx, kind));
        }
    }

    private void record(Context ctx, Kind kind) {
        AnalyticsBodies.Body body = BodyParser.parseClosed(ctx, kind.body, maxBodyBytes);
        body.check();
        ObjectNode event = Json.mapper().valueToTree(body);
        // Absent optional fields stay absent, as the frontend sent them, rather than becoming nulls.
        event.properties().removeIf(field -> field.getValue().isNull());
        if (event.get("preferences") instanceof ObjectNode preferences) {
            preferences.properties().removeIf(field -> field.getValue().isNull());
        }
        Instant now = manager.clock().instant();
        event.put("recorded_at", now.toString());
        manager.expiringState().append(kind.list(), Json.string(event), KEEP, now.plus(LIFETIME));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "recorded");
        out.put("event", kind.path);
        HttpBodies.json(ctx, out);
    }

    private void read(Context ctx, Kind kind) {
        List<JsonNode> events = new ArrayList<>();
        for (String stored : manager.expiringState().recent(kind.list(), limit(ctx))) {
            try {
                events.add(Json.mapper().readTree(stored));
            } catch (JsonProcessingException e) {
                // Only this API writes these lists; an entry it cannot read was put there by hand, and is left out.
                log.warn("skipping an unreadable entry of {}: {}", kind.list(), e.getOriginalMessage());
            }
        }
        HttpBodies.json(ctx, Map.of("events", events));
    }

    /** {@code limit}: {@value #DEFAULT_LIMIT} when absent, else a whole number from 1 to {@value #MAX_LIMIT}. */
    static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("limit", "'" + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw)
                    + "' is not a whole number");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }
}
