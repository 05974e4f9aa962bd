package dev.switchboard.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * OpenAI Chat Completions request bodies as an agent sends them: conversations with text, content parts and images
 * (data and http URLs), assistant tool calls answered by tool turns, function tools with JSON Schemas, a tool choice,
 * sampling fields and, optionally, fields of OpenAI's that Switchboard does not interpret. Each body is valid: every
 * tool result answers an earlier call. Forms that OpenAI defines twice for one meaning (a stop string or a one-element
 * array; a lone text part or a string) are generated in one form only, so a body can be compared field by field.
 */
final class GeneratedRequests {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> TOOL_NAMES = List.of("get_weather", "search_docs", "add", "lookup-user");
    private static final List<String> WORDS = List.of("the", "lighthouse", "keeper", "é", "你好", "\"quoted\"", "line\nbreak", "{");

    /** What the generated bodies may contain, by the dialect they must survive. */
    record Shape(boolean openAiOnly, boolean jsonFormat) {}

    private GeneratedRequests() {}

    static Arbitrary<ObjectNode> bodies(Shape shape) {
        return Arbitraries.longs().map(seed -> body(new Random(seed), shape));
    }

    static ObjectNode body(Random rnd, Shape shape) {
        ObjectNode body = NODES.objectNode().put("model", "gpt-4o");
        List<String> tools = rnd.nextBoolean() ? TOOL_NAMES.subList(0, 1 + rnd.nextInt(TOOL_NAMES.size())) : List.of();
        ArrayNode messages = body.putArray("messages");
        if (rnd.nextBoolean()) {
            messages.addObject().put("role", shape.openAiOnly() && rnd.nextBoolean() ? "developer" : "system").put("content", text(rnd));
        }
        int calls = 0;
        int exchanges = 1 + rnd.nextInt(3);
        for (int i = 0; i < exchanges; i++) {
            messages.add(user(rnd));
            if (rnd.nextInt(3) == 0 && i < exchanges - 1) {
                ObjectNode assistant = messages.addObject().put("role", "assistant");
                if (rnd.nextBoolean()) {
                    assistant.put("content", text(rnd));
                }
                ArrayNode toolCalls = assistant.putArray("tool_calls");
                List<String> ids = new ArrayList<>();
                for (int k = 0, n = 1 + rnd.nextInt(2); k < n; k++) {
                    String id = "call_" + (++calls) + "x" + Integer.toHexString(rnd.nextInt());
                    ids.add(id);
                    ObjectNode call = toolCalls.addObject().put("id", id).put("type", "function");
                    call.putObject("function").put("name", tools.isEmpty() ? "get_weather" : tools.get(rnd.nextInt(tools.size())))
                            .put("arguments", arguments(rnd).toString());
                }
                for (String id : ids) {
                    messages.addObject().put("role", "tool").put("tool_call_id", id).put("content", text(rnd));
                }
            } else if (rnd.nextBoolean() && i < exchanges - 1) {
                messages.addObject().put("role", "assistant").put("content", text(rnd));
            }
        }
        if (!tools.isEmpty()) {
            ArrayNode defs = body.putArray("tools");
            for (String name : tools) {
                ObjectNode fn = defs.addObject().put("type", "function").putObject("function").put("name", name);
                if (rnd.nextBoolean()) {
                    fn.put("description", "Does " + name + " " + text(rnd));
                }
                fn.set("parameters", schema(rnd));
                if (shape.openAiOnly() && rnd.nextBoolean()) {
                    fn.put("strict", rnd.nextBoolean());
                }
            }
            switch (rnd.nextInt(5)) {
                case 0 -> body.put("tool_choice", "auto");
                case 1 -> body.put("tool_choice", "required");
                case 2 -> body.put("tool_choice", "none");
                case 3 -> body.putObject("tool_choice").put("type", "function").putObject("function").put("name", tools.getFirst());
                default -> { }
            }
            if (rnd.nextBoolean()) {
                body.put("parallel_tool_calls", rnd.nextBoolean());
            }
        } else if (shape.jsonFormat() && rnd.nextBoolean()) {
            ObjectNode schema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                    .put("name", "answer");
            schema.set("schema", schema(rnd));
            schema.put("strict", true);
        }
        sampling(rnd, body, shape);
        return body;
    }

    private static ObjectNode user(Random rnd) {
        ObjectNode user = NODES.objectNode().put("role", "user");
        if (rnd.nextBoolean()) {
            user.put("content", text(rnd));
            return user;
        }
        ArrayNode parts = user.putArray("content");
        parts.addObject().put("type", "text").put("text", text(rnd));
        ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url");
        if (rnd.nextBoolean()) {
            byte[] bytes = new byte[1 + rnd.nextInt(64)];
            rnd.nextBytes(bytes);
            image.put("url", "data:image/" + (rnd.nextBoolean() ? "png" : "jpeg") + ";base64," + Base64.getEncoder().encodeToString(bytes));
        } else {
            image.put("url", "https://example.org/img/" + Integer.toHexString(rnd.nextInt()) + ".png");
        }
        if (rnd.nextBoolean()) {
            parts.addObject().put("type", "text").put("text", text(rnd));
        }
        return user;
    }

    private static void sampling(Random rnd, ObjectNode body, Shape shape) {
        if (rnd.nextBoolean()) {
            body.put("temperature", rnd.nextInt(shape.openAiOnly() ? 21 : 11) / 10.0);
        }
        if (rnd.nextBoolean()) {
            body.put("top_p", (1 + rnd.nextInt(10)) / 10.0);
        }
        if (rnd.nextBoolean()) {
            body.put(shape.openAiOnly() && rnd.nextBoolean() ? "max_completion_tokens" : "max_tokens", 1 + rnd.nextInt(4096));
        }
        if (rnd.nextBoolean()) {
            body.putArray("stop").add("END").add("\n\n");
        }
        if (rnd.nextBoolean()) {
            body.put("user", "user-" + rnd.nextInt(100));
        }
        if (!shape.openAiOnly()) {
            return;
        }
        if (rnd.nextBoolean()) {
            body.put("seed", rnd.nextInt(1_000_000));
        }
        if (rnd.nextBoolean()) {
            body.put("presence_penalty", rnd.nextInt(5) / 2.0 - 1);
            body.put("frequency_penalty", rnd.nextInt(5) / 2.0 - 1);
        }
        if (rnd.nextBoolean()) {
            body.put("n", 1 + rnd.nextInt(3));
        }
        if (rnd.nextBoolean()) {
            body.put("logprobs", true).put("top_logprobs", rnd.nextInt(5));
        }
        if (rnd.nextBoolean()) {
            body.putObject("logit_bias").put("50256", -100);
            body.put("store", rnd.nextBoolean()).put("service_tier", "default").put("prompt_cache_key", "k" + rnd.nextInt(9));
            body.putObject("metadata").put("task_type", "general_chat").put("team", "story");
            body.putObject("prediction").put("type", "content").put("content", text(rnd));
            body.put("x_vendor_flag", rnd.nextInt(3));
        }
    }

    static String text(Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 1 + rnd.nextInt(5); i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS.get(rnd.nextInt(WORDS.size())));
        }
        return sb.toString();
    }

    private static ObjectNode arguments(Random rnd) {
        ObjectNode args = NODES.objectNode().put("city", text(rnd));
        if (rnd.nextBoolean()) {
            args.put("days", rnd.nextInt(10));
        }
        if (rnd.nextBoolean()) {
            args.putArray("units").add("metric").add(rnd.nextDouble());
        }
        if (rnd.nextBoolean()) {
            args.putObject("nested").put("ok", rnd.nextBoolean()).putNull("missing");
        }
        return args;
    }

    private static JsonNode schema(Random rnd) {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        props.putObject("city").put("type", "string").put("description", text(rnd));
        if (rnd.nextBoolean()) {
            props.putObject("days").put("type", "integer").put("minimum", 0);
        }
        schema.putArray("required").add("city");
        if (rnd.nextBoolean()) {
            schema.put("additionalProperties", false);
        }
        return schema;
    }
}
