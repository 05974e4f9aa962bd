package dev.switchboard.local;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ResponseFormat;
import dev.switchboard.model.Sampling;

/**
 * A request's sampling settings and output format as llama.cpp inference parameters. A JSON format becomes a
 * grammar (llama.cpp converts a JSON Schema into one), so the model cannot produce anything else.
 */
final class Sampler {
    /** Any JSON object, for {@code json_object}. */
    private static final String ANY_OBJECT = "{\"type\":\"object\"}";

    private Sampler() {}

    static void apply(ChatRequest request, InferenceParameters p) {
        Sampling s = request.sampling();
        if (s.temperature() != null) {
            p.setTemperature(s.temperature().floatValue());
        }
        if (s.topP() != null) {
            p.setTopP(s.topP().floatValue());
        }
        if (s.topK() != null) {
            p.setTopK(s.topK());
        }
        if (s.seed() != null) {
            p.setSeed((int) (long) s.seed());
        }
        if (s.presencePenalty() != null) {
            p.setPresencePenalty(s.presencePenalty().floatValue());
        }
        if (s.frequencyPenalty() != null) {
            p.setFrequencyPenalty(s.frequencyPenalty().floatValue());
        }
        if (!request.stop().isEmpty()) {
            p.setStopStrings(request.stop().toArray(String[]::new));
        }
        String schema = switch (request.output().formatOrText()) {
            case ResponseFormat.JsonSchema js -> js.schema() == null ? ANY_OBJECT : js.schema().toString();
            case ResponseFormat.JsonObject j -> ANY_OBJECT;
            case ResponseFormat.Text t -> null;
        };
        if (schema != null) {
            p.setGrammar(LlamaModel.jsonSchemaToGrammar(schema));
        }
    }
}
