package dev.switchboard.testkit;

import java.util.List;

/**
 * What a mock model answers: text, tool calls (with their arguments as JSON text), or a refusal. Each mock renders it
 * in its own wire format, streamed or not; a call without an id gets one in the mock's own style.
 */
public record MockReply(String text, List<Call> calls, String refusal) {

    public MockReply {
        calls = calls == null ? List.of() : List.copyOf(calls);
    }

    /** One function call; {@code arguments} is JSON text. */
    public record Call(String id, String name, String arguments) {}

    public static MockReply text(String text) {
        return new MockReply(text, List.of(), null);
    }

    public static MockReply call(String name, String argumentsJson) {
        return new MockReply(null, List.of(new Call(null, name, argumentsJson)), null);
    }

    public static MockReply calls(Call... calls) {
        return new MockReply(null, List.of(calls), null);
    }

    public static MockReply refusal(String why) {
        return new MockReply(null, List.of(), why);
    }
}
