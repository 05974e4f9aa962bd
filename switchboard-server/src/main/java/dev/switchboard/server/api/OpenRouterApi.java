package dev.switchboard.server.api;

import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.provider.FreeModelFilter;
import dev.switchboard.server.http.BodyParser;
import dev.switchboard.server.http.HttpBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The seed's OpenRouter endpoints: the free-model filter (read and change) and the free-model list. */
final class OpenRouterApi {
    private static final String BASE = "/api/v1/models/openrouter";
    private static final Set<String> FIELDS = Set.of("show_free_only", "prefer_free", "max_cost_per_token");
    private final ModelManager manager;
    private final long maxBodyBytes;

    OpenRouterApi(ModelManager manager, long maxBodyBytes) {
        this.manager = manager;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(RoutesConfig routes) {
        routes.get(BASE + "/filter", ctx -> HttpBodies.json(ctx, settings("provider", "openrouter", manager.openRouterFilter())));
        routes.post(BASE + "/filter", this::update);
        routes.get(BASE + "/free", ctx -> HttpBodies.json(ctx, manager.openRouterFreeModels()));
    }

    /** The body's fields, as the seed's query parameters name them. */
    record FilterUpdate(Boolean showFreeOnly, Boolean preferFree, Double maxCostPerToken) {}

    /** The seed's query parameters, a JSON body with the same fields, or both when they agree. */
    private void update(Context ctx) {
        FilterUpdate body = body(HttpBodies.read(ctx, maxBodyBytes));
        Boolean show = merge("show_free_only", flag(ctx, "show_free_only"), body.showFreeOnly());
        Boolean prefer = merge("prefer_free", flag(ctx, "prefer_free"), body.preferFree());
        Double cap = merge("max_cost_per_token", number(ctx, "max_cost_per_token"), body.maxCostPerToken());
        if (show == null && prefer == null && cap == null) {
            throw new InvalidRequestException(null,
                    "nothing to change: give show_free_only, prefer_free or max_cost_per_token (query parameters or a JSON body)");
        }
        // The provider checks the values: a cap must be a finite number of 0 or more.
        FreeModelFilter now = manager.updateOpenRouterFilter(show, prefer, cap);
        HttpBodies.json(ctx, settings("message", "OpenRouter filter settings updated", now));
    }

    private static Map<String, Object> settings(String key, String value, FreeModelFilter filter) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, value);
        out.put("settings", filter);
        return out;
    }

    private static FilterUpdate body(byte[] bytes) {
        if (bytes.length == 0) {
            return new FilterUpdate(null, null, null);
        }
        FilterUpdate update = BodyParser.parse(bytes, FilterUpdate.class);
        try {
            // A misspelt setting must not look like a successful change.
            Iterator<String> names = Json.mapper().readTree(bytes).fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw new InvalidRequestException(name, "unknown setting; expected show_free_only, prefer_free or max_cost_per_token");
                }
            }
        } catch (IOException e) {
            throw new InvalidRequestException(null, "malformed JSON");
        }
        return update;
    }

    private static <T> T merge(String name, T fromQuery, T fromBody) {
        if (fromQuery != null && fromBody != null && !Objects.equals(fromQuery, fromBody)) {
            throw new InvalidRequestException(name, "the query parameter and the JSON body disagree");
        }
        return fromQuery != null ? fromQuery : fromBody;
    }

    private static Boolean flag(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw == null || raw.isEmpty() ? null : ModelsApi.flag(ctx, name);
    }

    private static Double number(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name, "'" + raw + "' is not a number");
        }
    }
}
