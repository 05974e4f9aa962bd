package dev.switchboard.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.Caller;
import dev.switchboard.model.Capability;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.Message;
import dev.switchboard.model.Requirements;
import dev.switchboard.model.TaskType;
import dev.switchboard.model.Tool;
import dev.switchboard.model.ToolCall;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What routing needs to know of a request, whatever it asks for: the model named (or null), the requirements, the
 * estimated size, and the capabilities a model needs to serve it. {@code chat} is the chat request itself, which
 * the guards that check a provider's wire format read; null for embeddings.
 *
 * <p>Prompt tokens are estimated at four characters per token plus four per message for the chat framing, the
 * usual rule of thumb for English text with BPE tokenizers; it errs on the large side for code and non-Latin
 * scripts, which is the safe side. An image counts as {@value #IMAGE_TOKENS} tokens, about what a detailed
 * mid-sized image costs on the APIs that price images in tokens.
 */
public record RouteRequest(String model, Requirements requirements, boolean stream, int promptTokens, int maxTokens,
                           List<Capability.Need> needs, ChatRequest chat) {
    /** Assumed completion size when a request sets no max_tokens. */
    public static final int DEFAULT_COMPLETION_TOKENS = 512;
    static final int IMAGE_TOKENS = 1000;

    public RouteRequest {
        needs = List.copyOf(needs);
    }

    public static RouteRequest of(ChatRequest r) {
        long chars = 0;
        int images = 0;
        for (Message m : r.messages()) {
            for (ContentPart p : m.content()) {
                if (p instanceof ContentPart.Text t) {
                    chars += t.text().length();
                } else if (p instanceof ContentPart.Image) {
                    images++;
                }
            }
            for (ToolCall c : m.toolCalls()) {
                chars += c.name().length() + c.arguments().length();
            }
        }
        for (Tool t : r.toolUse().tools()) {
            if (t instanceof Tool.Function f) {
                chars += f.name().length() + (f.description() == null ? 0 : f.description().length()) + jsonChars(f.parameters());
            }
        }
        int prompt = (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4 + 4L * r.messages().size() + (long) IMAGE_TOKENS * images);
        int completion = (r.maxTokens() != null ? r.maxTokens() : DEFAULT_COMPLETION_TOKENS) * r.output().choices();
        return new RouteRequest(r.model(), r.requirements(), r.stream(), prompt, completion, Capability.needs(r), r);
    }

    /** Who the request is for and who pays upstream; embeddings are always the operator's. */
    public Caller caller() {
        return chat == null ? Caller.OPERATOR : chat.caller();
    }

    /** About how many characters a JSON value takes written out, counted without writing it (a tool's schema). */
    static long jsonChars(JsonNode n) {
        if (n == null) {
            return 0;
        }
        if (n.isTextual()) {
            return n.textValue().length() + 2;
        }
        long chars = 2;
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                chars += e.getKey().length() + 4 + jsonChars(e.getValue());
            }
        } else if (n.isArray()) {
            for (JsonNode item : n) {
                chars += 1 + jsonChars(item);
            }
        } else {
            chars += 3; // a number, a boolean or null
        }
        return chars;
    }

    /** An embeddings request: its inputs are the whole prompt, and nothing is generated. */
    public static RouteRequest embeddings(String model, List<String> inputs) {
        long chars = 0;
        for (String s : inputs) {
            chars += s.length();
        }
        int prompt = (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4 + inputs.size());
        return new RouteRequest(model, Requirements.forTask(TaskType.GENERAL_CHAT), false, prompt, 0,
                List.of(new Capability.Need(Capability.EMBEDDINGS, "model", "the request asks for embeddings")), null);
    }
}
