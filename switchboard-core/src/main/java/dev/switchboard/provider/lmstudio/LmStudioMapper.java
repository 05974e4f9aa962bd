package dev.switchboard.provider.lmstudio;

import dev.switchboard.model.Capability;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.lmstudio.LmStudioWire.NativeModel;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** LM Studio's model list → {@link ModelInfo}. Local models cost nothing, so every model is free. */
final class LmStudioMapper {
    static final String CHAT = Capability.CHAT;
    static final String VISION = Capability.VISION;
    static final String EMBEDDINGS = Capability.EMBEDDINGS;

    private LmStudioMapper() {}

    static ModelInfo fromNative(NativeModel m, ProviderType type, String provider) {
        return local(ModelInfo.builder(m.id(), type, provider))
                .description(describe(m))
                .contextLength(m.maxContextLength() != null && m.maxContextLength() > 0 ? m.maxContextLength() : null)
                .capabilities(capabilities(m.type(), m.capabilities()))
                .loaded(loaded(m.state()))
                .detail("type", m.type())
                .detail("publisher", m.publisher())
                .detail("arch", m.arch())
                .detail("compatibility_type", m.compatibilityType())
                .detail("quantization", m.quantization())
                .build();
    }

    /**
     * An entry of the OpenAI-style {@code /v1/models}, for LM Studio versions without {@code /api/v0}: that list says
     * neither the kind of model nor whether it is loaded. LM Studio names its embedding models after what they do
     * ({@code text-embedding-…}), which is the one hint left for keeping them out of chat.
     */
    static ModelInfo fromOpenAiList(ModelInfo listed) {
        boolean embedding = listed.modelId().toLowerCase(Locale.ROOT).contains("embed");
        return local(listed.toBuilder())
                .description("LM Studio model (this LM Studio has no /api/v0, so whether it is loaded is unknown)")
                .capabilities(embedding ? List.of(EMBEDDINGS) : List.of(CHAT))
                .loaded(null)
                .build();
    }

    private static ModelInfo.Builder local(ModelInfo.Builder b) {
        return b.free(true).pricing(0.0, 0.0);
    }

    /**
     * What a model can do: from LM Studio's type (every language model takes JSON Schema output, which LM Studio
     * enforces with a grammar), plus tool calling where it lists {@code tool_use}. An unknown type claims nothing.
     */
    static List<String> capabilities(String type, List<String> declared) {
        if (type == null) {
            return List.of();
        }
        List<String> caps = new java.util.ArrayList<>(switch (type.toLowerCase(Locale.ROOT)) {
            case "llm" -> List.of(CHAT, Capability.JSON_MODE, Capability.JSON_SCHEMA);
            case "vlm" -> List.of(CHAT, VISION, Capability.JSON_MODE, Capability.JSON_SCHEMA);
            case "embeddings" -> List.of(EMBEDDINGS);
            default -> List.<String>of();
        });
        if (declared != null && declared.contains("tool_use") && caps.contains(CHAT)) {
            caps.add(Capability.TOOL_CALLING);
        }
        return List.copyOf(caps);
    }

    /** {@code loaded} → true, {@code not-loaded} → false; anything else is unknown. */
    static Boolean loaded(String state) {
        if ("loaded".equalsIgnoreCase(state)) {
            return Boolean.TRUE;
        }
        return "not-loaded".equalsIgnoreCase(state) ? Boolean.FALSE : null;
    }

    private static String describe(NativeModel m) {
        StringBuilder sb = new StringBuilder("LM Studio ").append(m.type() == null ? "model" : m.type());
        if (m.arch() != null && !m.arch().isBlank()) {
            sb.append(", ").append(m.arch());
        }
        if (m.quantization() != null && !m.quantization().isBlank()) {
            sb.append(' ').append(m.quantization());
        }
        if (m.compatibilityType() != null && !m.compatibilityType().isBlank()) {
            sb.append(' ').append(m.compatibilityType());
        }
        if (m.publisher() != null && !m.publisher().isBlank()) {
            sb.append(", by ").append(m.publisher());
        }
        return sb.toString();
    }

    /**
     * Chat models already in memory first, then the rest of the chat models, then models that cannot chat: a request
     * that names no model then lands on one that answers at once instead of waiting for LM Studio to load another.
     * The order within each group is LM Studio's.
     */
    static List<ModelInfo> readyFirst(List<ModelInfo> models) {
        return models.stream().sorted(Comparator.comparingInt(LmStudioMapper::rank)).toList();
    }

    private static int rank(ModelInfo m) {
        if (!m.capabilities().contains(CHAT)) {
            return 2;
        }
        return Boolean.TRUE.equals(m.loaded()) ? 0 : 1;
    }
}
