package dev.switchboard.routing;

import dev.switchboard.config.ModelConfig;
import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderName;
import dev.switchboard.model.UnknownModelException;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.ModelProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * All providers' models in one place, enriched with the operator's {@code models:} entries (scores, costs,
 * capabilities) and indexed by id. The index is rebuilt only when a provider's cached list changes, so looking
 * a model up on the request path costs a map lookup.
 */
public final class Catalog {
    private final List<ModelProvider> providers;
    private final Map<String, ModelConfig> modelConfigs;
    @SuppressWarnings("unchecked")
    private volatile Snapshot snapshot = new Snapshot(new List[0], List.of(), Map.of(), Map.of());

    /** @param providers in preference order: the default provider first, then configuration order */
    /** Every name a provider answers to: its own, its short name, and its kind when it is the only one. */
    private final Map<String, ModelProvider> aliases;
    /** How often a miss may refresh one provider's catalog. */
    static final java.time.Duration MISS_REFRESH = java.time.Duration.ofSeconds(30);
    private final Map<String, Long> missRefreshed = new java.util.concurrent.ConcurrentHashMap<>();

    public Catalog(List<ModelProvider> providers, Map<String, ModelConfig> modelConfigs) {
        this.providers = List.copyOf(providers);
        this.modelConfigs = Map.copyOf(modelConfigs);
        this.aliases = aliases(this.providers);
    }

    private static Map<String, ModelProvider> aliases(List<ModelProvider> providers) {
        Map<String, ModelProvider> out = new HashMap<>();
        providers.forEach(p -> out.put(p.name(), p));
        for (ModelProvider p : providers) {
            String shortName = ProviderName.of(p.name()).shortName();
            if (shortName != null) {
                out.putIfAbsent(shortName, p); // custom_api:east answers to east
            }
        }
        Map<String, Long> perKind = new HashMap<>();
        providers.forEach(p -> perKind.merge(p.type().wire(), 1L, Long::sum));
        for (ModelProvider p : providers) {
            if (perKind.get(p.type().wire()) == 1) {
                out.putIfAbsent(p.type().wire(), p); // a kind names its only instance
            }
        }
        return Map.copyOf(out);
    }

    public List<ModelProvider> providers() {
        return providers;
    }

    /** The provider called {@code name}: its full name ({@code custom_api:east}), short name or unique kind. */
    public ModelProvider provider(String name) {
        return name == null ? null : aliases.get(name);
    }

    /** What the wire format of the provider serving {@code m} can carry. */
    public dev.switchboard.provider.RequestSupport support(ModelInfo m) {
        ModelProvider p = provider(m.provider());
        return p == null ? dev.switchboard.provider.RequestSupport.EVERYTHING : p.support();
    }

    /** Every enabled model of every reachable provider, in preference order. */
    public List<ModelInfo> all() {
        return current().models;
    }

    /** The models of one provider; an unreachable provider throws its failure. */
    public List<ModelInfo> of(String providerName) {
        ModelProvider p = provider(providerName);
        if (p == null) {
            throw new UnknownModelException("unknown provider '" + providerName + "'; configured: " + names());
        }
        return enabledOnly(p.availableModels(ModelFilter.NONE));
    }

    /** Problems that kept a provider's models out of the catalog, by provider name. */
    public Map<String, String> unreachable() {
        return current().unreachable;
    }

    /**
     * Finds {@code provider:model} or a bare model id. A prefix counts as a provider only when it names a
     * configured one, because model ids contain colons themselves ({@code llama3.2:3b}, {@code …:free}); the
     * longest such prefix wins, so {@code custom_api:east:gpt-4o} is model {@code gpt-4o} of endpoint east.
     */
    public ModelInfo resolve(String ref) {
        return deployments(ref).getFirst();
    }

    /**
     * Every deployment a reference names: the one deployment of {@code provider:model}, or each provider's copy of
     * a bare model id, in provider preference order.
     */
    public List<ModelInfo> deployments(String ref) {
        return deployments(named(ref));
    }

    private List<ModelInfo> deployments(Named named) {
        List<ModelInfo> found = lookup(named);
        if (found == null && refreshAfterMiss(named.provider() == null ? providers : List.of(named.provider()))) {
            found = lookup(named); // a model pulled or deployed since the list was cached
        }
        if (found == null) {
            throw new UnknownModelException(missing(named));
        }
        return found;
    }

    /** The deployment {@code key} names (its provider by any name it answers to); 404 when there is none. */
    public ModelInfo find(DeploymentKey key) {
        ModelProvider p = provider(key.provider());
        if (p == null) {
            throw new UnknownModelException("unknown provider '" + key.provider() + "'");
        }
        return deployments(new Named(p, key.modelId())).getFirst();
    }

    /**
     * Whether a reference names a provider ({@code provider:model}, pinned to it) rather than being a bare model id,
     * which may hold colons of its own ({@code llama3:8b}) and stands for every provider's copy.
     */
    public boolean namesProvider(String ref) {
        return named(ref).provider() != null;
    }

    /** A reference split into the provider it names (null for a bare id) and the model id. */
    private record Named(ModelProvider provider, String id) {}

    private Named named(String ref) {
        String prefix = null;
        for (String alias : aliases.keySet()) {
            if (ref.length() > alias.length() + 1 && ref.startsWith(alias) && ref.charAt(alias.length()) == ':'
                    && (prefix == null || alias.length() > prefix.length())) {
                prefix = alias;
            }
        }
        return prefix == null ? new Named(null, ref) : new Named(aliases.get(prefix), ref.substring(prefix.length() + 1));
    }

    /** The deployments, or null when no list has the model. */
    private List<ModelInfo> lookup(Named named) {
        if (named.provider() != null) {
            for (ModelInfo m : of(named.provider().name())) {
                if (m.modelId().equals(named.id())) {
                    return List.of(m);
                }
            }
            return null;
        }
        List<ModelInfo> found = current().byId.get(named.id());
        return found == null || found.isEmpty() ? null : found;
    }

    /**
     * Refreshes the catalogs that could hold a model a request named but no cached list has, at most once per
     * {@link #MISS_REFRESH} per provider, so a client asking again and again for a model that does not exist cannot
     * turn every request into a catalog fetch. True when some catalog was refreshed.
     */
    private boolean refreshAfterMiss(List<ModelProvider> candidates) {
        long now = System.nanoTime();
        boolean any = false;
        for (ModelProvider p : candidates) {
            Long last = missRefreshed.get(p.name());
            if (last == null || now - last >= MISS_REFRESH.toNanos()) {
                missRefreshed.put(p.name(), now);
                p.refreshCatalog();
                any = true;
            }
        }
        return any;
    }

    /** Why nothing serves a model: disabled in configuration, hidden by a provider's filter, or not listed. */
    private String missing(Named named) {
        java.util.Optional<String> disabled = disabledNote(named.id());
        if (disabled.isPresent()) {
            return disabled.get();
        }
        for (ModelProvider p : named.provider() == null ? providers : List.of(named.provider())) {
            String hidden = p.hiddenReason(named.id());
            if (hidden != null) {
                return hidden;
            }
        }
        if (named.provider() != null) {
            return "model '" + named.id() + "' is not offered by provider " + named.provider().name();
        }
        String why = "model '" + named.id() + "' is not in any provider's catalog";
        Snapshot s = current();
        return s.unreachable.isEmpty() ? why : why + " (not reachable now: " + String.join(", ", s.unreachable.keySet()) + ")";
    }

    private java.util.Optional<String> disabledNote(String id) {
        ModelConfig mc = modelConfigs.get(id);
        return mc != null && !mc.enabled()
                ? java.util.Optional.of("model '" + id + "' is disabled in configuration (model_management.models." + id + ".enabled: false)")
                : java.util.Optional.empty();
    }

    private String names() {
        return providers.isEmpty() ? "none" : providers.stream().map(ModelProvider::name).collect(Collectors.joining(", "));
    }

    /** The current snapshot; rebuilt only when some provider's cached list is a different object than before. */
    private Snapshot current() {
        Snapshot s = snapshot;
        if (s.sources.length == providers.size()) {
            boolean same = true;
            for (int i = 0; i < providers.size() && same; i++) {
                same = listOf(providers.get(i)) == s.sources[i];
            }
            if (same) {
                return s;
            }
        }
        return rebuild();
    }

    private static List<ModelInfo> listOf(ModelProvider p) {
        try {
            return p.availableModels(ModelFilter.NONE);
        } catch (ModelFailure e) {
            return null;
        }
    }

    private synchronized Snapshot rebuild() {
        @SuppressWarnings("unchecked")
        List<ModelInfo>[] sources = new List[providers.size()];
        Map<String, String> unreachable = new LinkedHashMap<>();
        List<ModelInfo> models = new ArrayList<>();
        Map<String, List<ModelInfo>> byId = new HashMap<>();
        for (int i = 0; i < providers.size(); i++) {
            ModelProvider p = providers.get(i);
            try {
                sources[i] = p.availableModels(ModelFilter.NONE);
            } catch (ModelFailure e) {
                unreachable.put(p.name(), e.getMessage());
                continue;
            }
            for (ModelInfo m : enabledOnly(sources[i])) {
                models.add(m);
                byId.computeIfAbsent(m.modelId(), k -> new ArrayList<>()).add(m);
            }
        }
        byId.replaceAll((id, list) -> List.copyOf(list));
        Snapshot s = new Snapshot(sources, Collections.unmodifiableList(models), byId, Collections.unmodifiableMap(unreachable));
        snapshot = s;
        return s;
    }

    private List<ModelInfo> enabledOnly(List<ModelInfo> list) {
        if (modelConfigs.isEmpty()) {
            return list;
        }
        List<ModelInfo> out = new ArrayList<>(list.size());
        for (ModelInfo m : list) {
            ModelConfig mc = configFor(m);
            if (mc == null) {
                out.add(m);
            } else if (mc.enabled()) {
                out.add(enrich(m, mc));
            }
        }
        return out;
    }

    /** The operator's entry for a model: by {@code provider:model} (full or short provider name), else by id. */
    public ModelConfig configFor(ModelInfo m) {
        ModelConfig mc = modelConfigs.get(m.key());
        String shortName = ProviderName.of(m.provider()).shortName();
        if (mc == null && shortName != null) {
            mc = modelConfigs.get(new DeploymentKey(shortName, m.modelId()).toString());
        }
        return mc != null ? mc : modelConfigs.get(m.modelId());
    }

    /**
     * The operator's entry wins over what the provider reports: that is how models are scored, and configured
     * capabilities replace the reported ones (an operator who lists them knows better than a guess by family).
     */
    static ModelInfo enrich(ModelInfo m, ModelConfig mc) {
        ModelInfo.Builder b = m.toBuilder();
        if (!mc.capabilities().isEmpty()) {
            b.capabilities(mc.capabilities());
        }
        if (!mc.supportedTasks().isEmpty()) {
            b.supportedTasks(mc.supportedTasks());
        }
        if (mc.name() != null && !mc.name().isBlank()) {
            b.name(mc.name());
        }
        if (mc.contextLength() != null) {
            b.contextLength(mc.contextLength());
        }
        if (mc.costPerToken() != null) {
            b.costPerToken(mc.costPerToken());
        }
        if (mc.isFree() != null) {
            b.free(mc.isFree());
        }
        if (mc.therapeuticSafetyScore() != null) {
            b.therapeuticSafetyScore(mc.therapeuticSafetyScore());
        }
        if (mc.performanceScore() != null) {
            b.performanceScore(mc.performanceScore());
        }
        return b.build();
    }

    /** {@code sources[i]} is the list provider i returned when the snapshot was built (null: it failed). */
    private record Snapshot(List<ModelInfo>[] sources, List<ModelInfo> models,
                            Map<String, List<ModelInfo>> byId, Map<String, String> unreachable) {}
}
