package dev.switchboard.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/** The one JSON mapper. Field names are snake_case everywhere Switchboard speaks JSON. */
public final class Json {
    // Jackson's default buffer recycling is per thread, which a virtual thread per request defeats: every parse
    // and write would allocate fresh 8 KB buffers. A shared pool recycles them across threads.
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .build();

    static {
        // Bounded nesting keeps a hostile body from exhausting the stack.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200)
                .maxStringLength(8 * 1024 * 1024)
                .build());
    }

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * An object's fields other than {@code skip}, in order: what a door or mapper keeps of a JSON block beyond the
     * fields it reads (a text block's {@code cache_control} or {@code citations}, say). Empty for the common case of
     * nothing more, without allocating.
     */
    public static java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> fieldsExcept(
            com.fasterxml.jackson.databind.JsonNode node, String... skip) {
        if (node.size() <= skip.length) {
            return java.util.Map.of();
        }
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> out = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!java.util.Arrays.asList(skip).contains(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
