package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.model.ModelFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Upstream error answers become the right {@link ModelFailure}, whatever the body looks like. */
class HttpErrorsProperties {
    private static final Function<String, String> NO_HEADERS = h -> null;

    private static ModelFailure classify(int status, String body) {
        return HttpErrors.classify("up", "m1", status, NO_HEADERS, body, UnaryOperator.identity());
    }

    /** The documented mapping by status alone. */
    private static Class<? extends ModelFailure> byStatus(int status) {
        return switch (status) {
            case 401, 402, 403 -> ModelFailure.AuthFailed.class;
            case 404 -> ModelFailure.Unavailable.class;
            case 408 -> ModelFailure.Timeout.class;
            case 413 -> ModelFailure.BadRequest.class;
            case 429 -> ModelFailure.RateLimited.class;
            default -> status >= 500 ? ModelFailure.Unavailable.class : ModelFailure.BadRequest.class;
        };
    }

    /** Words that make the body itself decide the class (context window, content filter). */
    private static boolean mentionsSpecialCause(String body) {
        String b = body.toLowerCase(Locale.ROOT);
        return b.contains("context") || b.contains("too many tokens") || b.contains("is too long") || b.contains("content_filter")
                || b.contains("content_policy") || b.contains("moderation");
    }

    @Property
    void anyErrorStatusAndBodyGivesTheClassOfItsStatus(
            @ForAll @IntRange(min = 400, max = 599) int status, @ForAll("bodies") String body) {
        Assume.that(!mentionsSpecialCause(body));
        ModelFailure f = classify(status, body);
        assertThat(f).isExactlyInstanceOf(byStatus(status));
        assertThat(f.upstreamStatus()).isEqualTo(status);
        assertThat(f.provider()).isEqualTo("up");
        assertThat(f.modelId()).isEqualTo("m1");
        assertThat(f.getMessage()).startsWith("up answered " + status + ": ");
        assertThat(f.getMessage().length()).isLessThan(600);
    }

    @Property
    void aContextLengthCodeWinsOverTheStatus(
            @ForAll @IntRange(min = 400, max = 599) int status, @ForAll("messages") String message) {
        String body = "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"invalid_request_error\",\"param\":\"messages\","
                + "\"code\":\"context_length_exceeded\"}}";
        assertThat(classify(status, body)).isInstanceOf(ModelFailure.ContextTooLong.class);
    }

    @Property
    void aContentFilterCodeWinsOverTheStatus(
            @ForAll @IntRange(min = 400, max = 599) int status, @ForAll("messages") String message) {
        Assume.that(!mentionsSpecialCause(message));
        String body = "{\"error\":{\"message\":" + quote(message) + ",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\"}}";
        assertThat(classify(status, body)).isInstanceOf(ModelFailure.ContentRefused.class);
    }

    @Property
    void noPieceOfTheKeyEverReachesTheMessage(
            @ForAll @IntRange(min = 400, max = 599) int status,
            @ForAll @IntRange(min = 0, max = 600) int before, @ForAll @IntRange(min = 0, max = 100) int after) {
        String key = "sk-9f8e7d6c5b4a39281706aa";
        String echoed = "Incorrect key " + "e".repeat(before) + key + "e".repeat(after);
        String body = "{\"error\":{\"message\":" + quote(echoed) + ",\"type\":\"x\",\"param\":null,\"code\":null}}";
        ModelFailure f = HttpErrors.classify("up", "m1", status, NO_HEADERS, body, s -> s.replace(key, "[redacted]"));
        for (int i = 0; i + 6 <= key.length(); i++) {
            assertThat(f.getMessage()).doesNotContain(key.substring(i, i + 6));
        }
    }

    @Provide
    Arbitrary<String> messages() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(700);
    }

    /** Random text, random bytes, JSON of every shape, and the error dialects of real upstreams. */
    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(2000);
        Arbitrary<String> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                .map(b -> new String(b, StandardCharsets.UTF_8));
        Arbitrary<String> scalarJson = Arbitraries.of("null", "true", "0", "-1.5e300", "\"str\"", "[]", "{}", "[1,[2,[3]]]",
                "{\"error\":null}", "{\"error\":42}", "{\"error\":[1,2]}", "{\"error\":{}}", "{\"error\":{\"message\":null}}",
                "{\"error\":{\"message\":{\"nested\":true},\"code\":[1]}}", "{\"message\":7}", "{\"detail\":[{\"loc\":[\"body\"]}]}",
                "{\"error\":", "<html><body>502 Bad Gateway</body></html>", "   ", "");
        Arbitrary<String> deep = Arbitraries.integers().between(100, 5000).map(n -> "[".repeat(n) + "]".repeat(n));
        Arbitrary<String> dialects = messages().flatMap(m -> Arbitraries.of(
                "{\"error\":{\"message\":" + quote(m) + ",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}",
                "{\"error\":" + quote(m) + "}",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":" + quote(m) + "}}",
                "{\"message\":" + quote(m) + ",\"code\":400}",
                "{\"detail\":" + quote(m) + "}"));
        return Arbitraries.oneOf(text, bytes, scalarJson, deep, dialects);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    // --- examples: the mapping a caller relies on ----------------------------------------------------

    @Example
    void openAiErrorMessageIsShownToTheCaller() {
        ModelFailure f = classify(401, "{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}");
        assertThat(f).isInstanceOf(ModelFailure.AuthFailed.class);
        assertThat(f.getMessage()).isEqualTo("up answered 401: Incorrect API key provided.");
        assertThat(f.transientFailure()).isFalse();
    }

    @Example
    void ollamaAndPlainTextErrorsKeepTheirWords() {
        assertThat(classify(404, "{\"error\":\"model 'llama3.2:3b' not found\"}").getMessage())
                .isEqualTo("up answered 404: model 'llama3.2:3b' not found");
        assertThat(classify(502, "<html>Bad Gateway</html>\n").getMessage()).isEqualTo("up answered 502: <html>Bad Gateway</html>");
        assertThat(classify(503, "").getMessage()).isEqualTo("up answered 503: HTTP 503");
    }

    @Example
    void contextWindowMessagesWithoutACodeAreStillRecognised() {
        assertThat(classify(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\"}}"))
                .isInstanceOf(ModelFailure.ContextTooLong.class);
        assertThat(classify(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: too many tokens\"}}"))
                .isInstanceOf(ModelFailure.ContextTooLong.class);
    }

    @Example
    void rateLimitCarriesRetryAfter() {
        ModelFailure f = HttpErrors.classify("up", "m1", 429, Map.of("retry-after", "7")::get,
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}",
                UnaryOperator.identity());
        assertThat(f).isInstanceOfSatisfying(ModelFailure.RateLimited.class,
                r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(7)));
        assertThat(f.transientFailure()).isTrue();
    }

    // --- Retry-After ---------------------------------------------------------------------------------

    @Property
    void retryAfterNeverThrows(@ForAll String value) {
        Duration d = HttpErrors.retryAfter(value);
        if (d != null) {
            assertThat(d).isBetween(Duration.ZERO, Duration.ofDays(1));
        }
    }

    @Property
    void retryAfterReadsWholeSeconds(@ForAll @IntRange(min = 0, max = 86_400) int seconds, @ForAll boolean padded) {
        String value = padded ? " " + seconds + " " : String.valueOf(seconds);
        assertThat(HttpErrors.retryAfter(value)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Example
    void retryAfterIgnoresNonsenseAndCapsHugeValues() {
        assertThat(HttpErrors.retryAfter(null)).isNull();
        assertThat(HttpErrors.retryAfter("")).isNull();
        assertThat(HttpErrors.retryAfter("soon")).isNull();
        assertThat(HttpErrors.retryAfter("-3")).isNull();
        assertThat(HttpErrors.retryAfter("NaN")).isNull();
        assertThat(HttpErrors.retryAfter("Infinity")).isNull();
        assertThat(HttpErrors.retryAfter("99999999999")).isEqualTo(Duration.ofDays(1));
    }

    @Example
    void retryAfterReadsAnHttpDate() {
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
        assertThat(HttpErrors.retryAfter(inTwoMinutes)).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(120));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
        assertThat(HttpErrors.retryAfter(past)).isEqualTo(Duration.ZERO);
    }
}
