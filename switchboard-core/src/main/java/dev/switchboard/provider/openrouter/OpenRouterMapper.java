package dev.switchboard.provider.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.Capability;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.openrouter.OpenRouterWire.Architecture;
import dev.switchboard.provider.openrouter.OpenRouterWire.ModelEntry;
import dev.switchboard.provider.openrouter.OpenRouterWire.Pricing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** OpenRouter's catalog entries → {@link ModelInfo}. Capabilities come only from what an entry declares. */
final class OpenRouterMapper {
    private static final Logger log = LoggerFactory.getLogger(OpenRouterMapper.class);

    private static final Map<String, String> BY_PARAMETER = Map.of(
            "tools", Capability.TOOL_CALLING,
            "tool_choice", Capability.TOOL_CALLING,
            "response_format", Capability.JSON_MODE,
            "structured_outputs", Capability.JSON_SCHEMA,
            "reasoning", "reasoning",
            "include_reasoning", "reasoning",
            "logprobs", Capability.LOGPROBS,
            "top_logprobs", Capability.LOGPROBS,
            "web_search_options", "web_search");
    private static final Map<String, String> BY_INPUT = Map.of(
            "image", Capability.VISION, "audio", "audio_input", "file", "file_input", "video", "video_input");
    private static final Map<String, String> BY_OUTPUT = Map.of("image", "image_output", "audio", "audio_output");

    private OpenRouterMapper() {}

    /** The usable entries of a {@code /models} answer; entries without an id or with broken fields are skipped. */
    static List<ModelInfo> catalog(List<JsonNode> data, String provider) {
        List<ModelInfo> out = new ArrayList<>(data.size());
        int skipped = 0;
        for (JsonNode node : data) {
            ModelInfo m = node != null && node.isObject() ? toModelInfo(node, provider) : null;
            if (m == null) {
                skipped++;
            } else {
                out.add(m);
            }
        }
        if (skipped > 0) {
            log.warn("{}: skipped {} catalog entr{} without an id or with malformed fields", provider, skipped,
                    skipped == 1 ? "y" : "ies");
        }
        return out;
    }

    /** One entry, or null when it cannot describe a model. */
    static ModelInfo toModelInfo(JsonNode node, String provider) {
        ModelEntry e;
        try {
            e = Json.mapper().treeToValue(node, ModelEntry.class);
        } catch (Exception malformed) {
            return null;
        }
        return e.id() == null || e.id().isBlank() ? null : toModelInfo(e, provider);
    }

    static ModelInfo toModelInfo(ModelEntry e, String provider) {
        Pricing p = e.pricing();
        Double prompt = p == null ? null : price(p.prompt());
        Double completion = p == null ? null : price(p.completion());
        boolean free = prompt != null && completion != null && prompt == 0 && completion == 0;
        Architecture a = e.architecture();
        Integer context = e.contextLength() != null ? e.contextLength()
                : e.topProvider() == null ? null : e.topProvider().contextLength();
        ModelInfo.Builder b = ModelInfo.builder(e.id(), ProviderType.OPENROUTER, provider)
                .name(e.name())
                .description(e.description())
                .contextLength(context)
                .maxCompletionTokens(e.topProvider() == null ? null : e.topProvider().maxCompletionTokens())
                .capabilities(capabilities(e))
                .pricing(prompt, completion)
                .free(free)
                .detail("canonical_slug", e.canonicalSlug())
                .detail("modality", a == null ? null : a.modality())
                .detail("tokenizer", a == null ? null : a.tokenizer())
                .detail("is_moderated", e.topProvider() == null || e.topProvider().isModerated() == null
                        ? null : e.topProvider().isModerated().toString());
        if (prompt == null || completion == null) {
            b.costPerToken(null); // half a price is no price: the model must not look cheap
        }
        return b.build();
    }

    /**
     * A price string in USD per token, or null when the price is unknown: absent, unparseable, negative (OpenRouter
     * prices its auto router {@code "-1"}: it depends on the model chosen) or too large to be a price.
     */
    static Double price(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            BigDecimal v = new BigDecimal(raw.strip());
            double d = v.doubleValue();
            return v.signum() < 0 || Double.isInfinite(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "chat" for text-to-text models, then what the modalities and supported parameters say, in that order. */
    static List<String> capabilities(ModelEntry e) {
        Set<String> caps = new LinkedHashSet<>();
        List<String> inputs = modalities(e.architecture(), true);
        List<String> outputs = modalities(e.architecture(), false);
        if (inputs.contains("text") && outputs.contains("text")) {
            caps.add(Capability.CHAT);
        }
        inputs.forEach(m -> add(caps, BY_INPUT.get(m)));
        outputs.forEach(m -> add(caps, BY_OUTPUT.get(m)));
        if (e.supportedParameters() != null) {
            e.supportedParameters().forEach(param -> add(caps, param == null ? null : BY_PARAMETER.get(param.toLowerCase(Locale.ROOT))));
        }
        return List.copyOf(caps);
    }

    private static void add(Set<String> caps, String cap) {
        if (cap != null) {
            caps.add(cap);
        }
    }

    /** The declared lists, else what the {@code "text+image->text"} summary says. */
    private static List<String> modalities(Architecture a, boolean input) {
        if (a == null) {
            return List.of();
        }
        List<String> declared = input ? a.inputModalities() : a.outputModalities();
        if (declared != null) {
            return declared.stream().filter(java.util.Objects::nonNull).map(m -> m.strip().toLowerCase(Locale.ROOT)).toList();
        }
        String modality = a.modality();
        int arrow = modality == null ? -1 : modality.indexOf("->");
        if (arrow < 0) {
            return List.of();
        }
        String side = input ? modality.substring(0, arrow) : modality.substring(arrow + 2);
        return java.util.Arrays.stream(side.split("\\+")).map(m -> m.strip().toLowerCase(Locale.ROOT))
                .filter(m -> !m.isEmpty()).toList();
    }
}
