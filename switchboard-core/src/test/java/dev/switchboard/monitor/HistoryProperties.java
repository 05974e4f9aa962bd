package dev.switchboard.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The closed loop's bonus: bounded, and moving the right way for every history a deployment can have. */
class HistoryProperties {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final String OUTCOMES_OWN = "unavailable";

    static History history() {
        return new History(Duration.ofMinutes(60), 2000, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static MetricRecord attempt(String outcome, double latencyMs, int secondsAgo) {
        return new MetricRecord(MetricRecord.ATTEMPT, NOW.minusSeconds(secondsAgo), "r", "m", "p", "openai",
                "general_chat", outcome, latencyMs, null, null, 1, 1, 2, null, null, null, false, null, null, null);
    }

    static MetricRecord feedback(Double q, Double s, int secondsAgo) {
        return MetricRecord.feedback(NOW.minusSeconds(secondsAgo), "r", "m", "p", "openai", "general_chat", q, s);
    }

    @Provide
    Arbitrary<MetricRecord> records() {
        Arbitrary<MetricRecord> attempts = Combinators.combine(
                Arbitraries.of("success", "unavailable", "timeout", "auth_failed", "rate_limited", "bad_request",
                        "context_too_long", "content_refused"),
                Arbitraries.doubles().between(0, 120_000),
                Arbitraries.integers().between(0, 3599)).as(HistoryProperties::attempt);
        Arbitrary<MetricRecord> feedback = Combinators.combine(
                Arbitraries.doubles().between(0, 10).injectNull(0.3),
                Arbitraries.doubles().between(0, 10).injectNull(0.3),
                Arbitraries.integers().between(0, 3599)).as(HistoryProperties::feedback);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, attempts), net.jqwik.api.Tuple.of(1, feedback));
    }

    static double bonusAfter(List<MetricRecord> records) {
        History h = history();
        records.forEach(h::add);
        return h.figures(new dev.switchboard.model.DeploymentKey("p", "m")).bonus();
    }

    @Property
    void theBonusIsBoundedWhateverHappened(@ForAll @Size(max = 200) List<@net.jqwik.api.From("records") MetricRecord> records) {
        double bonus = bonusAfter(records);
        assertThat(bonus).isFinite().isBetween(-7.0, 1.6);
    }

    @Property
    void anotherFailureOfTheDeploymentNeverRaisesIt(@ForAll @Size(max = 100) List<@net.jqwik.api.From("records") MetricRecord> records,
                                                     @ForAll @IntRange(min = 0, max = 3599) int secondsAgo) {
        double before = bonusAfter(records);
        List<MetricRecord> more = new java.util.ArrayList<>(records);
        more.add(attempt(OUTCOMES_OWN, 1, secondsAgo));
        assertThat(bonusAfter(more)).isLessThanOrEqualTo(before + 1e-9);
    }

    @Property
    void theCallersMistakesAndRateLimitsNeverMoveIt(@ForAll @Size(max = 100) List<@net.jqwik.api.From("records") MetricRecord> records,
                                                     @ForAll("callerSide") String outcome,
                                                     @ForAll @IntRange(min = 0, max = 3599) int secondsAgo) {
        List<MetricRecord> more = new java.util.ArrayList<>(records);
        more.add(attempt(outcome, 5, secondsAgo));
        assertThat(bonusAfter(more)).isCloseTo(bonusAfter(records), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Provide
    Arbitrary<String> callerSide() {
        return Arbitraries.of("bad_request", "context_too_long", "content_refused", "rate_limited");
    }

    @Property
    void slowerNeverScoresHigher(@ForAll @IntRange(min = 1, max = 50) int calls,
                                 @ForAll @DoubleRange(min = 0, max = 100_000) double latency,
                                 @ForAll @DoubleRange(min = 0, max = 100_000) double extra) {
        List<MetricRecord> fast = new java.util.ArrayList<>();
        List<MetricRecord> slow = new java.util.ArrayList<>();
        for (int i = 0; i < calls; i++) {
            fast.add(attempt("success", latency, i));
            slow.add(attempt("success", latency + extra, i));
        }
        assertThat(bonusAfter(slow)).isLessThanOrEqualTo(bonusAfter(fast) + 1e-9);
    }

    @Property
    void betterFeedbackNeverScoresLower(@ForAll @Size(min = 1, max = 20) List<@DoubleRange(min = 0, max = 10) Double> scores,
                                        @ForAll @DoubleRange(min = 0, max = 3) double lift) {
        List<MetricRecord> low = new java.util.ArrayList<>();
        List<MetricRecord> high = new java.util.ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            low.add(feedback(scores.get(i), scores.get(i), i));
            high.add(feedback(Math.min(10, scores.get(i) + lift), Math.min(10, scores.get(i) + lift), i));
        }
        assertThat(bonusAfter(high)).isGreaterThanOrEqualTo(bonusAfter(low) - 1e-9);
    }

    @Property
    void recordsOutsideTheWindowAreForgotten(@ForAll @Size(max = 50) List<@net.jqwik.api.From("records") MetricRecord> records) {
        List<MetricRecord> old = records.stream().map(r -> new MetricRecord(r.kind(), NOW.minus(Duration.ofHours(2)),
                r.requestId(), r.modelId(), r.provider(), r.providerType(), r.taskType(), r.outcome(), r.responseTimeMs(),
                null, null, r.promptTokens(), r.completionTokens(), r.totalTokens(), null, r.qualityScore(),
                r.therapeuticSafetyScore(), r.stream(), null, null, null)).toList();
        assertThat(bonusAfter(old)).isZero();
    }
}
