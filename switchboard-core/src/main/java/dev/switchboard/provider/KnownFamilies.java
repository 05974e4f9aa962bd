package dev.switchboard.provider;

import dev.switchboard.model.Capability;
import java.util.List;
import java.util.Locale;

/**
 * What a model can do when its endpoint lists only its id: by family for OpenAI's and Anthropic's well-known
 * models, and the seed's default ({@code chat}, {@code text_generation}) for anything else. A model whose id says
 * it embeds ({@code text-embedding-3-small}, {@code nomic-embed-text}) embeds and does not chat. The
 * {@code models:} configuration replaces whatever this guesses.
 */
public final class KnownFamilies {
    private static final List<String> CHAT = Capability.DEFAULTS;
    private static final List<String> EMBEDDING = List.of(Capability.EMBEDDINGS);
    private static final List<String> GPT_MULTIMODAL = List.of(Capability.CHAT, Capability.TEXT_GENERATION,
            Capability.TOOL_CALLING, Capability.VISION, Capability.JSON_MODE, Capability.JSON_SCHEMA, Capability.LOGPROBS);
    private static final List<String> O_SERIES = List.of(Capability.CHAT, Capability.TEXT_GENERATION,
            Capability.TOOL_CALLING, Capability.VISION, Capability.JSON_MODE, Capability.JSON_SCHEMA);
    private static final List<String> GPT_TEXT = List.of(Capability.CHAT, Capability.TEXT_GENERATION,
            Capability.TOOL_CALLING, Capability.JSON_MODE, Capability.LOGPROBS);
    /** Claude 3 and later: tools, images, and JSON through a forced tool. */
    private static final List<String> CLAUDE = List.of(Capability.CHAT, Capability.TEXT_GENERATION,
            Capability.TOOL_CALLING, Capability.VISION, Capability.JSON_MODE, Capability.JSON_SCHEMA);

    private KnownFamilies() {}

    /** For a model behind an OpenAI-compatible endpoint. */
    public static List<String> openAi(String modelId) {
        String id = bare(modelId);
        if (id.contains("embed")) {
            return EMBEDDING;
        }
        if (id.startsWith("gpt-4o") || id.startsWith("chatgpt-4o") || id.startsWith("gpt-4.1") || id.startsWith("gpt-4.5")
                || id.startsWith("gpt-4-turbo") || id.startsWith("gpt-5")) {
            return id.startsWith("gpt-5") ? O_SERIES : GPT_MULTIMODAL;
        }
        if (id.matches("o[1-9](-.*)?")) {
            return O_SERIES;
        }
        if (id.startsWith("gpt-3.5-turbo") || id.equals("gpt-4") || id.startsWith("gpt-4-")) {
            return GPT_TEXT;
        }
        return id.startsWith("claude-") ? anthropic(id) : CHAT;
    }

    /** For a model behind an Anthropic Messages endpoint. */
    public static List<String> anthropic(String modelId) {
        String id = bare(modelId);
        if (id.startsWith("claude-2") || id.startsWith("claude-instant")) {
            return CHAT;
        }
        return id.startsWith("claude-") ? CLAUDE : CHAT;
    }

    /** The id without an organisation prefix ({@code openai/gpt-4o} → {@code gpt-4o}), lower case. */
    private static String bare(String modelId) {
        String id = modelId.toLowerCase(Locale.ROOT);
        int slash = id.lastIndexOf('/');
        return slash >= 0 ? id.substring(slash + 1) : id;
    }
}
