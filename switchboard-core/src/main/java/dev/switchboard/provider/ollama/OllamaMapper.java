package dev.switchboard.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.hardware.RequirementEstimator;
import dev.switchboard.model.Capability;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Between Ollama's wire and the domain: model lists, capabilities, timings and keep_alive values. */
final class OllamaMapper {
    static final String CHAT = Capability.CHAT;
    static final String VISION = Capability.VISION;
    static final String EMBEDDINGS = Capability.EMBEDDINGS;
    static final String TOOLS = Capability.TOOL_CALLING;
    /** A Go duration ({@code 5m}, {@code 1h30m}, {@code -1m}) or a plain number of seconds ({@code 300}, {@code -1}). */
    static final Pattern KEEP_ALIVE = Pattern.compile("-?(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+)");

    private OllamaMapper() {}

    /** What the show endpoint taught about a model; cached per name and digest. */
    record Shown(Integer contextLength, String parameterCount, List<String> capabilities) {
        static final Shown NOTHING = new Shown(null, null, null);
    }

    static ModelInfo model(OllamaWire.Model m, OllamaWire.Model running, Shown shown, ProviderType type, String provider,
                           double costPerToken) {
        OllamaWire.Details d = m.details();
        ModelInfo.Builder b = ModelInfo.builder(m.name(), type, provider)
                .description(describe(m))
                .contextLength(shown.contextLength())
                .capabilities(capabilities(m, shown))
                .free(costPerToken == 0)
                .pricing(costPerToken, costPerToken)
                .loaded(running != null);
        if (d != null) {
            b.detail("format", d.format())
                    .detail("family", d.family())
                    .detail(RequirementEstimator.PARAMETER_SIZE, d.parameterSize())
                    .detail(RequirementEstimator.QUANTIZATION_LEVEL, d.quantizationLevel());
        }
        b.detail(RequirementEstimator.PARAMETER_COUNT, shown.parameterCount())
                .detail(RequirementEstimator.SIZE, m.size() == null ? null : Long.toString(m.size()))
                .detail("digest", m.digest())
                .detail("modified_at", m.modifiedAt());
        if (running != null) {
            b.detail("size_vram", running.sizeVram() == null ? null : Long.toString(running.sizeVram()))
                    .detail("expires_at", running.expiresAt());
        }
        return b.build();
    }

    /** {@code model_info["<arch>.context_length"]}, {@code general.parameter_count} and the declared capabilities. */
    static Shown shown(OllamaWire.ShowResponse r) {
        Map<String, JsonNode> info = r.modelInfo() == null ? Map.of() : r.modelInfo();
        Integer context = null;
        JsonNode arch = info.get("general.architecture");
        if (arch != null && arch.isTextual()) {
            JsonNode c = info.get(arch.asText() + ".context_length");
            context = c != null && c.canConvertToInt() && c.asInt() > 0 ? c.asInt() : null;
        }
        if (context == null) {
            for (Map.Entry<String, JsonNode> e : info.entrySet()) {
                if (e.getKey().endsWith(".context_length") && e.getValue().canConvertToInt() && e.getValue().asInt() > 0) {
                    context = e.getValue().asInt();
                    break;
                }
            }
        }
        JsonNode params = info.get("general.parameter_count");
        return new Shown(context, params != null && params.isNumber() ? params.asText() : null, r.capabilities());
    }

    /**
     * Ollama 0.6+ declares capabilities in show; older versions leave a guess from the name and family. A model that
     * chats also takes {@code format} (JSON, or a JSON Schema), which Ollama enforces with a grammar for any model.
     */
    static List<String> capabilities(OllamaWire.Model m, Shown shown) {
        List<String> out = new ArrayList<>();
        if (shown.capabilities() != null && !shown.capabilities().isEmpty()) {
            for (String c : shown.capabilities()) {
                switch (c) {
                    case "completion" -> out.add(CHAT);
                    case "vision" -> out.add(VISION);
                    case "embedding" -> out.add(EMBEDDINGS);
                    case "tools" -> out.add(TOOLS);
                    default -> { }
                }
            }
        } else {
            String family = m.details() == null || m.details().family() == null ? "" : m.details().family().toLowerCase(Locale.ROOT);
            boolean embedding = m.name().toLowerCase(Locale.ROOT).contains("embed") || family.contains("bert");
            out.add(embedding ? EMBEDDINGS : CHAT);
        }
        if (out.contains(CHAT)) {
            out.add(Capability.JSON_MODE);
            out.add(Capability.JSON_SCHEMA);
        }
        return List.copyOf(out);
    }

    private static String describe(OllamaWire.Model m) {
        StringBuilder sb = new StringBuilder("Ollama model");
        OllamaWire.Details d = m.details();
        if (d != null) {
            for (String part : new String[] {d.family(), d.parameterSize(), d.quantizationLevel()}) {
                if (part != null && !part.isBlank()) {
                    sb.append(' ').append(part);
                }
            }
        }
        return sb.toString();
    }

    /**
     * The configured {@code keep_alive} as Ollama takes it: a plain number is seconds and travels as a number, a Go
     * duration travels as a string. Negative keeps the model loaded forever.
     */
    static Object keepAlive(String configured) {
        String v = configured == null ? "5m" : configured.strip();
        if (!KEEP_ALIVE.matcher(v).matches()) {
            throw new IllegalArgumentException("keep_alive '" + configured
                    + "' is neither a number of seconds nor a duration such as 5m, 1h or -1");
        }
        if (v.matches("-?\\d+")) {
            return Long.parseLong(v);
        }
        if (v.matches("-?\\d+\\.\\d+")) {
            return Double.parseDouble(v);
        }
        return v;
    }
}
