package dev.switchboard.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.hardware.RequirementEstimator;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.FinishReason;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.model.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Between Ollama's wire and the domain: model lists, chat requests and answers, keep_alive values. */
final class OllamaMapper {
    static final String CHAT = "chat";
    static final String VISION = "vision";
    static final String EMBEDDINGS = "embeddings";
    static final String TOOLS = "tools";
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

    /** Ollama 0.6+ declares capabilities in show; older versions leave a guess from the name and family. */
    static List<String> capabilities(OllamaWire.Model m, Shown shown) {
        if (shown.capabilities() != null && !shown.capabilities().isEmpty()) {
            List<String> out = new ArrayList<>();
            for (String c : shown.capabilities()) {
                switch (c) {
                    case "completion" -> out.add(CHAT);
                    case "vision" -> out.add(VISION);
                    case "embedding" -> out.add(EMBEDDINGS);
                    case "tools" -> out.add(TOOLS);
                    default -> { }
                }
            }
            return out;
        }
        String family = m.details() == null || m.details().family() == null ? "" : m.details().family().toLowerCase(Locale.ROOT);
        boolean embedding = m.name().toLowerCase(Locale.ROOT).contains("embed") || family.contains("bert");
        return embedding ? List.of(EMBEDDINGS) : List.of(CHAT);
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

    static OllamaWire.ChatRequest toWire(ChatRequest r, String modelId, boolean stream, Object keepAlive) {
        List<OllamaWire.Message> messages = r.messages().stream()
                .map(m -> new OllamaWire.Message(m.role().wire(), m.content())).toList();
        OllamaWire.Options options = new OllamaWire.Options(r.temperature(), r.topP(), r.maxTokens(),
                r.stop().isEmpty() ? null : r.stop());
        boolean none = r.temperature() == null && r.topP() == null && r.maxTokens() == null && r.stop().isEmpty();
        return new OllamaWire.ChatRequest(modelId, messages, stream, none ? null : options, keepAlive);
    }

    /** The final (done) object carries the counts and timings for the whole answer. */
    static ChatResponse response(String text, OllamaWire.ChatChunk last, String provider, String modelId) {
        Map<String, Object> meta = new LinkedHashMap<>();
        Usage usage = Usage.NONE;
        FinishReason finish = FinishReason.STOP;
        if (last != null) {
            usage = Usage.of(nz(last.promptEvalCount()), nz(last.evalCount()));
            finish = FinishReason.fromWire(last.doneReason());
            if (last.doneReason() != null) {
                meta.put("done_reason", last.doneReason());
            }
            Double tps = tokensPerSecond(last.evalCount(), last.evalDuration());
            if (tps != null) {
                meta.put("tokens_per_second", tps);
            }
            putMillis(meta, "total_duration_ms", last.totalDuration());
            putMillis(meta, "load_duration_ms", last.loadDuration());
            putMillis(meta, "prompt_eval_duration_ms", last.promptEvalDuration());
            putMillis(meta, "eval_duration_ms", last.evalDuration());
        }
        return new ChatResponse(null, text, modelId, provider, usage, 0, finish, meta);
    }

    static Double tokensPerSecond(Integer evalCount, Long evalDurationNanos) {
        if (evalCount == null || evalDurationNanos == null || evalDurationNanos <= 0) {
            return null;
        }
        return evalCount / (double) evalDurationNanos * 1e9;
    }

    private static void putMillis(Map<String, Object> meta, String key, Long nanos) {
        if (nanos != null) {
            meta.put(key, nanos / 1e6);
        }
    }

    private static int nz(Integer v) {
        return v == null ? 0 : v;
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
