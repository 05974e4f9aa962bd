package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's {@code POST /v1/embeddings}: {@code input} is a string, a list of strings, or token ids (a list of
 * integers, or a list of such lists); the answer is a list of {@code embedding} objects, vectors as floats or, with
 * {@code encoding_format: base64}, as the base64 of their little-endian float32 bytes. Vectors are made up from the
 * text, so equal texts embed equally ({@link MockOllamaServer#embeddingOf} for the default 8 dimensions).
 */
final class OpenAiEmbeddings {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int DEFAULT_DIMENSIONS = 8;

    private OpenAiEmbeddings() {}

    /** The request's texts, or null when {@code input} has none of OpenAI's shapes. */
    static List<String> inputs(JsonNode input) {
        List<String> out = new ArrayList<>();
        if (input.isTextual()) {
            out.add(input.asText());
            return out;
        }
        if (!input.isArray() || input.isEmpty()) {
            return null;
        }
        if (input.get(0).isIntegralNumber()) {
            return tokens(input) ? List.of(input.toString()) : null;
        }
        for (JsonNode item : input) {
            if (item.isTextual()) {
                out.add(item.asText());
            } else if (item.isArray() && !item.isEmpty() && tokens(item)) {
                out.add(item.toString());
            } else {
                return null;
            }
        }
        return out;
    }

    private static boolean tokens(JsonNode list) {
        for (JsonNode t : list) {
            if (!t.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    /** What OpenAI refuses in an embeddings body other than the model, in its words; null when valid. */
    static OpenAiRequestRules.Violation violation(JsonNode req) {
        if (!req.has("input") || req.get("input").isNull()) {
            return new OpenAiRequestRules.Violation("'input' is a required property", "input", null);
        }
        if (inputs(req.get("input")) == null) {
            return new OpenAiRequestRules.Violation("'$.input' is invalid. Please check the API reference: "
                    + "https://platform.openai.com/docs/api-reference.", "input", null);
        }
        String format = req.path("encoding_format").asText("float");
        if (req.hasNonNull("encoding_format") && !format.equals("float") && !format.equals("base64")) {
            return new OpenAiRequestRules.Violation("Invalid value: '" + format + "'. Supported values are: 'float' and "
                    + "'base64'.", "encoding_format", "invalid_value");
        }
        if (req.hasNonNull("dimensions") && req.get("dimensions").asInt() < 1) {
            return new OpenAiRequestRules.Violation("Invalid 'dimensions': integer below minimum value. Expected a value "
                    + ">= 1, but got " + req.get("dimensions").asInt() + " instead.", "dimensions", "integer_below_min_value");
        }
        return null;
    }

    /** The answer to a valid request. */
    static ObjectNode answer(JsonNode req) {
        List<String> texts = inputs(req.get("input"));
        int dimensions = req.hasNonNull("dimensions") ? req.get("dimensions").asInt() : DEFAULT_DIMENSIONS;
        boolean base64 = "base64".equals(req.path("encoding_format").asText());
        ObjectNode out = NODES.objectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            float[] v = vector(texts.get(i), dimensions);
            if (base64) {
                e.put("embedding", encode(v));
            } else {
                ArrayNode a = e.putArray("embedding");
                for (float f : v) {
                    a.add(f);
                }
            }
            tokens += Math.max(1, texts.get(i).split("\\s+").length);
        }
        out.put("model", req.path("model").asText());
        out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return out;
    }

    /** A unit vector of {@code dimensions} floats from the characters of the text (Ollama's mock vector at 8). */
    static float[] vector(String text, int dimensions) {
        double[] v = unitVector(text, dimensions);
        float[] out = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** The characters of the text summed round {@code dimensions} slots, scaled to length 1 (all zero for ""). */
    static double[] unitVector(String text, int dimensions) {
        double[] v = new double[dimensions];
        for (int i = 0; i < text.length(); i++) {
            v[i % dimensions] += text.charAt(i);
        }
        double norm = 0;
        for (double d : v) {
            norm += d * d;
        }
        norm = norm == 0 ? 1 : Math.sqrt(norm);
        for (int i = 0; i < dimensions; i++) {
            v[i] = v[i] / norm;
        }
        return v;
    }

    /** OpenAI's base64 encoding: the vector's float32 values, little-endian, back to back. */
    static String encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }
}
