package dev.switchboard.model;

/** One turn of a conversation. Content is text; multimodal parts are rejected at the API edge, not dropped. */
public record Message(Role role, String content, String name) {
    public Message {
        if (role == null) {
            throw new InvalidRequestException("role", "is required");
        }
        content = content == null ? "" : content;
    }

    public static Message system(String text) {
        return new Message(Role.SYSTEM, text, null);
    }

    public static Message user(String text) {
        return new Message(Role.USER, text, null);
    }

    public static Message assistant(String text) {
        return new Message(Role.ASSISTANT, text, null);
    }
}
