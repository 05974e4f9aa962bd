package dev.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The API's {@code task_type}: every wire value (and the seed's enum names) in, anything else a 400. */
class TaskTypeProperties {

    private static boolean isTaskName(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return Arrays.stream(TaskType.values()).anyMatch(t -> t.wire().equals(lower));
    }

    @Example
    void everyWireValueAndEnumNameIsAccepted() {
        for (TaskType t : TaskType.values()) {
            assertThat(TaskType.fromWire(t.wire())).isEqualTo(t);
            assertThat(TaskType.fromWire(t.name())).isEqualTo(t);
            assertThat(TaskType.fromWire(t.wire().toUpperCase(Locale.ROOT))).isEqualTo(t);
        }
        assertThat(TaskType.values()).extracting(TaskType::wire).containsExactly(
                "narrative_generation", "dialogue_generation", "character_development", "therapeutic_response",
                "world_building", "choice_generation", "consequence_analysis", "general_chat");
    }

    @Example
    void nullIsRejectedNamingTheField() {
        assertThatThrownBy(() -> TaskType.fromWire(null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("task_type"));
    }

    @Property
    void anyCaseOfAWireValueIsAccepted(@ForAll TaskType t, @ForAll("caseMasks") long mask) {
        StringBuilder sb = new StringBuilder(t.wire());
        for (int i = 0; i < sb.length(); i++) {
            if ((mask >>> (i % 64) & 1) == 1) {
                sb.setCharAt(i, Character.toUpperCase(sb.charAt(i)));
            }
        }
        assertThat(TaskType.fromWire(sb.toString())).isEqualTo(t);
    }

    @Provide
    Arbitrary<Long> caseMasks() {
        return Arbitraries.longs();
    }

    @Property
    void anythingElseIsRejectedNamingTheFieldAndTheChoices(@ForAll("notQuiteTaskTypes") String value) {
        if (isTaskName(value)) {
            assertThat(TaskType.fromWire(value).wire()).isEqualTo(value.toLowerCase(Locale.ROOT));
            return;
        }
        assertThatThrownBy(() -> TaskType.fromWire(value))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("task_type");
                    assertThat(e.getMessage()).contains("task_type").contains("'" + value + "'").contains(TaskType.allWire());
                });
    }

    /** Arbitrary text, plus near misses: a wire value with a character changed, added or removed, or padded. */
    @Provide
    Arbitrary<String> notQuiteTaskTypes() {
        Arbitrary<String> wire = Arbitraries.of(TaskType.values()).map(TaskType::wire);
        Arbitrary<Character> ascii = Arbitraries.chars().range(' ', '~');
        Arbitrary<String> replaced = Combinators.combine(wire, Arbitraries.integers().between(0, 40), ascii)
                .as((w, i, c) -> {
                    StringBuilder sb = new StringBuilder(w);
                    sb.setCharAt(i % w.length(), c);
                    return sb.toString();
                });
        Arbitrary<String> inserted = Combinators.combine(wire, Arbitraries.integers().between(0, 40), ascii)
                .as((w, i, c) -> new StringBuilder(w).insert(i % (w.length() + 1), c).toString());
        Arbitrary<String> removed = Combinators.combine(wire, Arbitraries.integers().between(0, 40))
                .as((w, i) -> new StringBuilder(w).deleteCharAt(i % w.length()).toString());
        Arbitrary<String> padded = wire.map(w -> " " + w + "\n");
        Arbitrary<String> dashed = wire.map(w -> w.replace('_', '-'));
        return Arbitraries.oneOf(Arbitraries.strings(), replaced, inserted, removed, padded, dashed,
                Arbitraries.just(""), Arbitraries.just("chat"));
    }
}
