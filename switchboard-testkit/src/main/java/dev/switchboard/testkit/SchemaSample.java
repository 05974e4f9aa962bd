package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The smallest value a JSON Schema accepts, as a model forced to follow it would at least produce: every
 * {@code required} property present (recursively), strings {@code "x"} (or the first {@code enum} value), integers
 * 1, numbers 1.5, booleans true, arrays and unconstrained objects empty. It follows {@code $ref} into
 * {@code $defs}/{@code definitions} and takes the first branch of {@code anyOf}/{@code oneOf}/{@code allOf}; it does
 * not try to satisfy patterns, lengths or bounds, which no mock answer is checked against.
 */
final class SchemaSample {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 16; // a recursive schema with a required self-reference has no finite sample

    private SchemaSample() {}

    /** A value satisfying {@code schema}; an absent or empty schema gives {@code {}}. */
    static JsonNode of(JsonNode schema) {
        return sample(schema, schema, 0);
    }

    private static JsonNode sample(JsonNode schema, JsonNode root, int depth) {
        if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
            return NODES.objectNode();
        }
        if (schema.has("$ref")) {
            return sample(resolve(schema.get("$ref").asText(), root), root, depth + 1);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.get("enum").get(0);
        }
        for (String branch : new String[] {"anyOf", "oneOf", "allOf"}) {
            JsonNode alternatives = schema.path(branch);
            if (alternatives.isArray() && !alternatives.isEmpty()) {
                return sample(firstNotNull(alternatives), root, depth + 1);
            }
        }
        return switch (type(schema)) {
            case "string" -> NODES.textNode("x");
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(1.5);
            case "boolean" -> NODES.booleanNode(true);
            case "array" -> NODES.arrayNode();
            case "null" -> NODES.nullNode();
            default -> object(schema, root, depth);
        };
    }

    private static ObjectNode object(JsonNode schema, JsonNode root, int depth) {
        ObjectNode out = NODES.objectNode();
        for (JsonNode name : schema.path("required")) {
            JsonNode property = schema.path("properties").get(name.asText());
            // a required property without a schema takes anything; a string is the plainest anything
            out.set(name.asText(), property == null ? NODES.textNode("x") : sample(property, root, depth + 1));
        }
        return out;
    }

    /** The declared type (the first that is not "null" when several are), or what the keywords imply. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (type != null && type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        return schema.has("items") ? "array" : "object";
    }

    private static JsonNode firstNotNull(JsonNode alternatives) {
        for (JsonNode a : alternatives) {
            if (!"null".equals(a.path("type").asText())) {
                return a;
            }
        }
        return alternatives.get(0);
    }

    /** A local reference ({@code #/$defs/Name}, {@code #/definitions/Name}); anything else resolves to nothing. */
    private static JsonNode resolve(String ref, JsonNode root) {
        if (!ref.startsWith("#")) {
            return null;
        }
        JsonNode target = root.at(ref.substring(1));
        return target.isMissingNode() ? null : target;
    }
}
