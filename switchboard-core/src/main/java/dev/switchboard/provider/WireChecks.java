package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ContentPart;
import dev.switchboard.model.Dialect;
import dev.switchboard.model.Message;
import dev.switchboard.model.Tool;
import dev.switchboard.model.ToolChoice;
import dev.switchboard.provider.RequestSupport.Unsupported;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks every provider's {@link RequestSupport} is made of: whether it can return several choices, and which
 * of the fields a door received in another dialect it can carry. A field of another dialect is carried only when
 * the provider maps it ({@code understood}) or it is {@link #advisory}: a field that only serves the other vendor's
 * own bookkeeping, which an upstream without that bookkeeping has nothing to do with. Anything else is refused.
 */
public final class WireChecks {
    private WireChecks() {}

    /**
     * OpenAI fields that change nothing in the answer and only ask OpenAI to keep books (store it for evals,
     * tag it, route its prompt cache, track abuse by end user, pick a default tier). An upstream of another dialect
     * keeps no such books; the door says which of them it did not forward.
     */
    public static boolean advisory(Dialect door, String field, JsonNode value) {
        if (door != Dialect.OPENAI_CHAT && door != Dialect.OPENAI_RESPONSES) {
            return false;
        }
        return switch (field) {
            case "metadata", "prompt_cache_key", "safety_identifier", "user" -> true;
            case "store" -> value == null || value.isNull() || (value.isBoolean() && !value.asBoolean());
            case "service_tier" -> value == null || value.isNull() || "auto".equals(value.asText()) || "default".equals(value.asText());
            default -> false;
        };
    }

    /** The advisory fields of a request that an upstream of {@code upstream}'s dialect is not given. */
    public static List<String> unforwarded(ChatRequest r, Dialect upstream) {
        if (r.origin().dialect() == upstream || r.origin().extras().isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(1);
        r.origin().extras().forEach((k, v) -> {
            if (advisory(r.origin().dialect(), k, v)) {
                out.add(k);
            }
        });
        return out;
    }

    /** The answer, with the advisory fields an upstream of {@code upstream}'s dialect was not given named in its metadata. */
    public static dev.switchboard.model.ChatResponse noted(ChatRequest r, dev.switchboard.model.ChatResponse answer, Dialect upstream) {
        List<String> unforwarded = unforwarded(r, upstream);
        return unforwarded.isEmpty() ? answer : answer.withMetadata("not_forwarded", unforwarded);
    }

    /** Refuses {@code n > 1} for a provider that answers with one choice per request. */
    public static Unsupported oneChoice(ChatRequest r, String who) {
        return r.output().choices() > 1
                ? new Unsupported("n", who + " returns one choice per request; send " + r.output().choices() + " requests instead")
                : null;
    }

    /** Refuses logprobs for a provider whose API has none. */
    public static Unsupported noLogprobs(ChatRequest r, String who) {
        return r.output().wantsLogprobs() ? new Unsupported("logprobs", who + " does not return log-probabilities") : null;
    }

    /**
     * Refuses what the request carries from another dialect than {@code mine} and the provider does not map:
     * top-level extras (except advisory ones and {@code understood}), and messages' extras, content parts, tools
     * and tool choices of a kind only that dialect knows.
     */
    public static Unsupported foreign(ChatRequest r, Dialect mine, Set<String> understood, String who) {
        Dialect door = r.origin().dialect();
        if (door == mine) {
            return null;
        }
        for (Map.Entry<String, JsonNode> e : r.origin().extras().entrySet()) {
            if (!understood.contains(e.getKey()) && !advisory(door, e.getKey(), e.getValue())) {
                return new Unsupported(e.getKey(), who + " has no equivalent of this " + name(door) + " field");
            }
        }
        for (int i = 0; i < r.messages().size(); i++) {
            Message m = r.messages().get(i);
            if (!m.extras().isEmpty()) {
                String field = m.extras().keySet().iterator().next();
                return new Unsupported("messages[" + i + "]." + field, who + " has no equivalent of this " + name(door) + " field");
            }
            for (int j = 0; j < m.content().size(); j++) {
                ContentPart part = m.content().get(j);
                if (part instanceof ContentPart.Opaque o) {
                    return new Unsupported("messages[" + i + "].content[" + j + "]",
                            who + " cannot take content of type '" + o.type() + "'");
                }
                if (!part.extras().isEmpty()) {
                    return new Unsupported("messages[" + i + "].content[" + j + "]." + part.extras().keySet().iterator().next(),
                            who + " has no equivalent of this " + name(door) + " field");
                }
            }
        }
        List<Tool> tools = r.toolUse().tools();
        for (int i = 0; i < tools.size(); i++) {
            if (tools.get(i) instanceof Tool.Opaque o) {
                return new Unsupported("tools[" + i + "]", who + " takes function tools only, not '" + o.type() + "'");
            }
        }
        if (r.toolUse().choice() instanceof ToolChoice.Opaque) {
            return new Unsupported("tool_choice", who + " takes auto, none, required or one named function only");
        }
        return null;
    }

    /** The first refusal of several checks, or null. */
    public static Unsupported first(Unsupported... checks) {
        for (Unsupported u : checks) {
            if (u != null) {
                return u;
            }
        }
        return null;
    }

    private static String name(Dialect d) {
        return switch (d) {
            case OPENAI_CHAT -> "OpenAI Chat Completions";
            case OPENAI_RESPONSES -> "OpenAI Responses";
            case ANTHROPIC_MESSAGES -> "Anthropic Messages";
            case OLLAMA -> "Ollama";
            case NONE -> "Switchboard";
        };
    }
}
