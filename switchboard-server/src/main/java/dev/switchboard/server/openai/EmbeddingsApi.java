package dev.switchboard.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.model.Embeddings;
import dev.switchboard.model.InvalidRequestException;
import dev.switchboard.server.http.AccessLog;
import dev.switchboard.server.http.BodyParser;
import dev.switchboard.server.http.HttpBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI-compatible {@code POST /v1/embeddings} for every model whose provider can embed (Ollama's {@code /api/embed}
 * today). Text inputs only; {@code encoding_format} float or base64 (little-endian float32, as OpenAI sends it).
 */
final class EmbeddingsApi {
    static final int MAX_INPUTS = 2048;
    private final ModelManager manager;
    private final long maxBodyBytes;

    EmbeddingsApi(ModelManager manager, long maxBodyBytes) {
        this.manager = manager;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/embeddings", this::embeddings);
    }

    record Request(String model, JsonNode input, String encodingFormat, Integer dimensions, String user) {}

    record Item(String object, int index, Object embedding) {}

    record WireUsage(int promptTokens, int totalTokens) {}

    record Response(String object, List<Item> data, String model, WireUsage usage) {}

    private void embeddings(Context ctx) {
        Request r = BodyParser.parse(ctx, Request.class, maxBodyBytes);
        if (r.model() == null || r.model().isBlank()) {
            throw new InvalidRequestException("model", "is required");
        }
        List<String> inputs = inputs(r.input());
        boolean base64 = format(r.encodingFormat());
        if (r.dimensions() != null) {
            throw new InvalidRequestException("dimensions", "is not supported: the model's own dimension is returned");
        }
        Embeddings e = manager.chat().embed(r.model(), inputs);
        AccessLog.served(ctx, e.deployment());
        List<Item> data = new ArrayList<>(e.vectors().size());
        for (int i = 0; i < e.vectors().size(); i++) {
            double[] v = e.vectors().get(i);
            data.add(new Item("embedding", i, base64 ? base64(v) : v));
        }
        HttpBodies.json(ctx, new Response("list", data, r.model(),
                new WireUsage(e.usage().promptTokens(), e.usage().promptTokens())));
    }

    static List<String> inputs(JsonNode input) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            throw new InvalidRequestException("input", "is required: a string or an array of strings");
        }
        if (input.isTextual()) {
            return List.of(nonEmpty(input.asText()));
        }
        if (!input.isArray() || input.isEmpty()) {
            throw new InvalidRequestException("input", "must be a string or a non-empty array of strings");
        }
        if (input.size() > MAX_INPUTS) {
            throw new InvalidRequestException("input", "at most " + MAX_INPUTS + " inputs, got " + input.size());
        }
        List<String> out = new ArrayList<>(input.size());
        for (JsonNode n : input) {
            if (!n.isTextual()) {
                throw new InvalidRequestException("input", "token arrays are not supported; send the text as strings");
            }
            out.add(nonEmpty(n.asText()));
        }
        return out;
    }

    private static String nonEmpty(String s) {
        if (s.isEmpty()) {
            throw new InvalidRequestException("input", "inputs must be non-empty strings");
        }
        return s;
    }

    private static boolean format(String f) {
        if (f == null || f.equals("float")) {
            return false;
        }
        if (f.equals("base64")) {
            return true;
        }
        throw new InvalidRequestException("encoding_format", "must be float or base64, got '" + f + "'");
    }

    static String base64(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putFloat((float) d);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }
}
