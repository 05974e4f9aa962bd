package dev.switchboard.server.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.switchboard.json.Json;
import dev.switchboard.model.InvalidRequestException;
import io.javalin.http.Context;
import java.io.IOException;

/** Reads a JSON request body into a record, with errors a caller can act on (which field, what was wrong). */
public final class BodyParser {
    /** Stricter than the upstream-facing mapper: no "12" for 12, no 1.5 for an integer, no 1 for true. */
    private static final ObjectMapper STRICT = strict();
    /** Also refuses fields it does not know: for bodies where a misspelt field would silently lose data. */
    private static final ObjectMapper CLOSED = strict().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private BodyParser() {}

    private static ObjectMapper strict() {
        ObjectMapper m = Json.mapper().copy();
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Textual}) {
            m.coercionConfigFor(t)
                    .setCoercion(CoercionInputShape.String, t == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, t == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, t == LogicalType.Integer || t == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, t == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, t == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return m;
    }

    public static <T> T parse(Context ctx, Class<T> type, long maxBytes) {
        return parse(HttpBodies.read(ctx, maxBytes), type);
    }

    /** As {@link #parse(Context, Class, long)}, and a field the type does not have is a 400 naming it. */
    public static <T> T parseClosed(Context ctx, Class<T> type, long maxBytes) {
        return parse(HttpBodies.read(ctx, maxBytes), type, CLOSED);
    }

    public static <T> T parse(byte[] body, Class<T> type) {
        return parse(body, type, STRICT);
    }

    private static <T> T parse(byte[] body, Class<T> type, ObjectMapper mapper) {
        if (body.length == 0) {
            throw new InvalidRequestException(null, "request body is empty; expected a JSON object");
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new InvalidRequestException(null, "request body is null; expected a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(null, describe(e));
        } catch (IOException e) {
            throw new InvalidRequestException(null, "cannot read request body: " + e.getMessage());
        }
    }

    /** A short description without Jackson's class names or a copy of the input. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return "malformed JSON: " + firstLine(e.getOriginalMessage());
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'" + (u.getKnownPropertyIds() == null ? ""
                    : "; known fields: " + u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        if (e instanceof JsonMappingException jme) {
            String path = path(jme);
            if (jme instanceof MismatchedInputException mie) {
                String expected = mie.getTargetType() == null ? "a different type" : expected(mie.getTargetType());
                if (path.isEmpty()) {
                    return "request body must be a JSON object";
                }
                return "field '" + path + "' has the wrong type, expected " + expected;
            }
            if (jme.getCause() instanceof InvalidRequestException ire) {
                return ire.getMessage();
            }
            return (path.isEmpty() ? "" : "field '" + path + "': ") + firstLine(jme.getOriginalMessage());
        }
        return "malformed JSON";
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String expected(Class<?> t) {
        if (t == String.class) {
            return "a string";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "an integer";
        }
        if (t == Double.class || t == double.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(t)) {
            return "an array";
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
