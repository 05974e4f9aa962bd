package dev.switchboard.local;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.Pair;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a conversation into the prompt text. A model whose GGUF carries {@code tokenizer.chat_template} gets that
 * template, rendered by llama.cpp (its Jinja engine, so any template works). A model without one is a completion
 * model: the prompt is the conversation's text, system first, joined by blank lines, with no role labels it was
 * never trained on. A single user message is therefore passed through verbatim.
 */
final class PromptFormat {
    static final String CHAT_TEMPLATE = "chat_template";
    static final String PLAIN = "plain";

    private PromptFormat() {}

    static String render(LlamaModel llama, boolean hasTemplate, ChatRequest request) {
        return hasTemplate ? templated(llama, request.messages()) : plain(request.messages());
    }

    static String plain(List<Message> messages) {
        return messages.stream().map(Message::text).filter(c -> !c.isEmpty()).collect(Collectors.joining("\n\n"));
    }

    private static String templated(LlamaModel llama, List<Message> messages) {
        StringBuilder system = new StringBuilder();
        List<Pair<String, String>> turns = new ArrayList<>();
        for (Message m : messages) {
            if (m.role().isSystem()) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.text());
            } else {
                turns.add(new Pair<>(m.role().wire(), m.text()));
            }
        }
        InferenceParameters p = new InferenceParameters("").setMessages(system.isEmpty() ? null : system.toString(), turns);
        return llama.applyTemplate(p);
    }
}
