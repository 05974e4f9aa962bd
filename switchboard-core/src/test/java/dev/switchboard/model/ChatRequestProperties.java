package dev.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** A request with a bad knob is refused up front, naming the field, before any upstream is called. */
class ChatRequestProperties {

    private static ChatRequest.Builder hello() {
        return ChatRequest.builder().prompt("hello");
    }

    private static void rejected(Runnable build, String field, String mentioned) {
        assertThatThrownBy(build::run)
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + ": ").contains(mentioned);
                });
    }

    // --- max_tokens -----------------------------------------------------------------------------------

    @Property
    void maxTokensWithinOneToAMillionIsKept(@ForAll @IntRange(min = 1, max = 1_000_000) int n) {
        assertThat(hello().maxTokens(n).build().maxTokens()).isEqualTo(n);
    }

    @Property
    void maxTokensOutsideOneToAMillionIsRejected(@ForAll("tokenCountsOutOfRange") int n) {
        rejected(() -> hello().maxTokens(n).build(), "max_tokens", String.valueOf(n));
    }

    @Provide
    Arbitrary<Integer> tokenCountsOutOfRange() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(Integer.MIN_VALUE, 0),
                Arbitraries.integers().between(1_000_001, Integer.MAX_VALUE));
    }

    // --- temperature ----------------------------------------------------------------------------------

    @Property
    void temperatureWithinZeroToTwoIsKept(@ForAll @DoubleRange(min = 0, max = 2) double t) {
        assertThat(hello().temperature(t).build().temperature()).isEqualTo(t);
    }

    @Property
    void temperatureOutsideZeroToTwoIsRejected(@ForAll("temperaturesOutOfRange") double t) {
        rejected(() -> hello().temperature(t).build(), "temperature", String.valueOf(t));
    }

    @Provide
    Arbitrary<Double> temperaturesOutOfRange() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-Double.MAX_VALUE, true, 0, false),
                Arbitraries.doubles().between(2, false, Double.MAX_VALUE, true),
                Arbitraries.of(Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Math.nextUp(2.0),
                        -Double.MIN_VALUE));
    }

    // --- top_p ----------------------------------------------------------------------------------------

    @Property
    void topPInZeroExclusiveToOneIsKept(@ForAll @DoubleRange(min = 0, minIncluded = false, max = 1) double p) {
        assertThat(hello().topP(p).build().topP()).isEqualTo(p);
    }

    @Property
    void topPOutsideZeroExclusiveToOneIsRejected(@ForAll("topPsOutOfRange") double p) {
        rejected(() -> hello().topP(p).build(), "top_p", String.valueOf(p));
    }

    @Provide
    Arbitrary<Double> topPsOutOfRange() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-Double.MAX_VALUE, 0),
                Arbitraries.doubles().between(1, false, Double.MAX_VALUE, true),
                Arbitraries.of(0.0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Math.nextUp(1.0)));
    }

    // --- messages and stop ----------------------------------------------------------------------------

    @Example
    void noMessagesAtAllIsRejected() {
        rejected(() -> ChatRequest.builder().build(), "messages", "at least one message");
        rejected(() -> new ChatRequest(null, null, null, null, null, null, false, null, null, null, null, null, null), "messages",
                "at least one message");
        rejected(() -> new ChatRequest(List.of(), "m", null, 10, null, null, false, null, null, null, null, null, null), "messages",
                "at least one message");
    }

    @Example
    void anEmptyPromptIsRejected() {
        rejected(() -> ChatRequest.builder().prompt(""), "prompt", "non-empty");
    }

    @Property
    void anyNonEmptyConversationIsKeptInOrder(@ForAll("conversations") List<Message> messages) {
        ChatRequest r = ChatRequest.builder().messages(messages).build();
        assertThat(r.messages()).containsExactlyElementsOf(messages);
        assertThat(r.taskType()).isEqualTo(TaskType.GENERAL_CHAT);
    }

    @Provide
    Arbitrary<List<Message>> conversations() {
        Arbitrary<Message> message = net.jqwik.api.Combinators.combine(Arbitraries.of(Role.values()), Arbitraries.strings())
                .as((role, text) -> new Message(role, text, null));
        return message.list().ofMinSize(1).ofMaxSize(20);
    }

    @Property
    void upToSixteenStopSequencesAreKeptAndMoreAreRejected(@ForAll @IntRange(min = 0, max = 40) int n) {
        List<String> stop = new ArrayList<>(Collections.nCopies(n, "END"));
        if (n <= ChatRequest.MAX_STOP_SEQUENCES) {
            assertThat(hello().stop(stop).build().stop()).hasSize(n);
        } else {
            rejected(() -> hello().stop(stop).build(), "stop", String.valueOf(n));
        }
    }

    @Example
    void anEmptyStopSequenceIsRejected() {
        rejected(() -> hello().stop(List.of("END", "")).build(), "stop", "non-empty");
    }

    @Property
    void aMissingStopSequenceAnywhereIsRejectedNotACrash(
            @ForAll @IntRange(min = 0, max = 10) int before, @ForAll @IntRange(min = 0, max = 5) int after) {
        List<String> stop = new ArrayList<>(Collections.nCopies(before, "END"));
        stop.add(null); // what "stop_sequences": ["END", null] in a request body becomes
        stop.addAll(Collections.nCopies(after, "STOP"));
        rejected(() -> hello().stop(stop).build(), "stop", "non-empty");
    }

    @Example
    void aBlankModelMeansLetSwitchboardChoose() {
        assertThat(hello().model("   ").build().model()).isNull();
        assertThat(hello().model("openrouter:x/y:free").build().model()).isEqualTo("openrouter:x/y:free");
    }
}
