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

/**
 * The seed's OpenRouter endpoints: the free-model filter (read and change) and the free-model list.
 *
 * <p>The seed names "prefer free models" twice: {@code prefer_free} in its POST (query parameters, and the settings
 * it echoes) and {@code prefer_free_models} in what GET answers (the provider's {@code get_filter_settings}), which
 * is the name the seed's frontend keeps and sends as a JSON body. POST takes either name, as a query parameter or in
 * the body; GET answers the seed's GET names; POST's echo carries both, so a client merging it (as the seed's
 * frontend does) sees the name it reads.
 */
final class OpenRouterApi {
    private static final String BASE = "/api/v1/models/openrouter";
    static final String PREFER_FREE = "prefer_free";
    static final String PREFER_FREE_MODELS = "prefer_free_models";
    private static final Set<String> FIELDS = Set.of("show_free_only", PREFER_FREE, PREFER_FREE_MODELS, "max_cost_per_token");
    private final ModelManager manager;
    private final long maxBodyBytes;

    OpenRouterApi(ModelManager manager, long maxBodyBytes) {
        this.manager = manager;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(RoutesConfig routes) {
        routes.get(BASE + "/filter", ctx -> HttpBodies.json(ctx, answer("provider", "openrouter", getShape(manager.openRouter().filter()))));
        routes.post(BASE + "/filter", this::update);
        routes.get(BASE + "/free", ctx -> HttpBodies.json(ctx, manager.openRouter().freeModels()));
    }

    /** The body's fields: the seed's query parameter names, and the frontend's {@code prefer_free_models}. */
    record FilterUpdate(Boolean showFreeOnly, Boolean preferFree, Boolean preferFreeModels, Double maxCostPerToken) {}

    /** The seed's query parameters, a JSON body with the same fields, or both when they agree. */
    private void update(Context ctx) {
        FilterUpdate body = body(HttpBodies.read(ctx, maxBodyBytes));
        Boolean show = merge("show_free_only", flag(ctx, "show_free_only"), body.showFreeOnly());
        Boolean prefer = merge(PREFER_FREE, alias(flag(ctx, PREFER_FREE), flag(ctx, PREFER_FREE_MODELS), "query parameters"),
                alias(body.preferFree(), body.preferFreeModels(), "JSON body"));
        Double cap = merge("max_cost_per_token", number(ctx, "max_cost_per_token"), body.maxCostPerToken());
        if (show == null && prefer == null && cap == null) {
            throw new InvalidRequestException(null, "nothing to change: give show_free_only, prefer_free (or "
                    + "prefer_free_models) or max_cost_per_token (query parameters or a JSON body)");
        }
        // The provider checks the values: a cap must be a finite number of 0 or more.
        FreeModelFilter now = manager.openRouter().updateFilter(show, prefer, cap);
        HttpBodies.json(ctx, answer("message", "OpenRouter filter settings updated", postShape(now)));
    }

    /** The seed's GET settings: {@code show_free_only}, {@code prefer_free_models}, {@code max_cost_per_token}. */
    static Map<String, Object> getShape(FreeModelFilter f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("show_free_only", f.showFreeOnly());
        m.put(PREFER_FREE_MODELS, f.preferFree());
        m.put("max_cost_per_token", f.maxCostPerToken());
        return m;
    }

    /** The seed's POST echo ({@code prefer_free}), with the GET name beside it for clients that merge the echo. */
    static Map<String, Object> postShape(FreeModelFilter f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("show_free_only", f.showFreeOnly());
        m.put(PREFER_FREE, f.preferFree());
        m.put("max_cost_per_token", f.maxCostPerToken());
        m.put(PREFER_FREE_MODELS, f.preferFree());
        return m;
    }

    private static Map<String, Object> answer(String key, String value, Map<String, Object> settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, value);
        out.put("settings", settings);
        return out;
    }

    /** One setting under its two names in the same place: either, or both when they agree. */
    private static Boolean alias(Boolean preferFree, Boolean preferFreeModels, String where) {
        if (preferFree != null && preferFreeModels != null && !preferFree.equals(preferFreeModels)) {
            throw new InvalidRequestException(PREFER_FREE, "prefer_free=" + preferFree + " and prefer_free_models="
                    + preferFreeModels + " in the " + where + " name the same setting and disagree; give one of them");
        }
        return preferFree != null ? preferFree : preferFreeModels;
    }

    private static FilterUpdate body(byte[] bytes) {
        if (bytes.length == 0) {
            return new FilterUpdate(null, null, null, null);
        }
        FilterUpdate update = BodyParser.parse(bytes, FilterUpdate.class);
        try {
            // A misspelt setting must not look like a successful change.
            Iterator<String> names = Json.mapper().readTree(bytes).fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw new InvalidRequestException(name, "unknown setting; expected show_free_only, prefer_free (or prefer_free_models) or max_cost_per_token");
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
