package dev.switchboard.provider.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Server-Sent Events as upstreams write them: named events, multi-line data, keep-alive comments. */
class SseReaderProperties {

    /** Lines as a transport would hand them over, already split at line ends. */
    static final class Lines implements LineStream {
        private final Iterator<String> it;

        Lines(List<String> lines) {
            this.it = lines.iterator();
        }

        @Override public int status() { return 200; }
        @Override public Function<String, String> header() { return h -> null; }
        @Override public String nextLine() { return it.hasNext() ? it.next() : null; }
        @Override public void close() { }
    }

    private static List<SseReader.Event> readAll(List<String> lines) {
        SseReader reader = new SseReader(new Lines(lines));
        List<SseReader.Event> out = new ArrayList<>();
        SseReader.Event e;
        while ((e = reader.next()) != null) {
            out.add(e);
        }
        return out;
    }

    /** What a sender means: an optional event name and one or more data lines. */
    record Sent(Optional<String> name, List<String> dataLines) {
        SseReader.Event expected() {
            return new SseReader.Event(name.orElse("message"), String.join("\n", dataLines));
        }
    }

    private static final Arbitrary<String> ONE_LINE = Arbitraries.strings().excludeChars('\n', '\r').ofMaxLength(40);
    private static final Arbitrary<String> COMMENT = ONE_LINE.map(s -> ":" + s);
    private static final Arbitrary<String> IGNORED_FIELD = Arbitraries.of("id: 42", "retry: 3000", "id", "x-custom: y");

    @Provide
    Arbitrary<List<Sent>> events() {
        Arbitrary<Optional<String>> name = Arbitraries.strings().alpha().numeric().withChars('_', '.', '-')
                .ofMinLength(1).ofMaxLength(16).optional(0.5);
        Arbitrary<List<String>> data = ONE_LINE.list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(name, data).as(Sent::new).list().ofMaxSize(12);
    }

    /** Writes events in wire form, sprinkling comments and ignored fields in anywhere a line may go. */
    private static List<String> encode(List<Sent> events, List<String> noise, boolean finalBlankLine, boolean spaceAfterColon) {
        List<String> lines = new ArrayList<>();
        Iterator<String> extra = noise.iterator();
        String sep = spaceAfterColon ? ": " : ":";
        for (int i = 0; i < events.size(); i++) {
            Sent e = events.get(i);
            if (extra.hasNext()) {
                lines.add(extra.next());
            }
            e.name().ifPresent(n -> lines.add("event" + sep + n));
            for (String d : e.dataLines()) {
                // A value that itself starts with a space needs the separator space, or the reader eats it.
                lines.add("data" + (spaceAfterColon || d.startsWith(" ") ? ": " : ":") + d);
                if (extra.hasNext()) {
                    lines.add(extra.next());
                }
            }
            if (i < events.size() - 1 || finalBlankLine) {
                lines.add("");
            }
        }
        return lines;
    }

    @Property
    void everyEventComesBackInOrderWithItsNameAndData(
            @ForAll("events") List<Sent> events,
            @ForAll("noise") List<String> noise,
            @ForAll boolean finalBlankLine,
            @ForAll boolean spaceAfterColon) {
        List<SseReader.Event> read = readAll(encode(events, noise, finalBlankLine, spaceAfterColon));
        assertThat(read).containsExactlyElementsOf(events.stream().map(Sent::expected).toList());
    }

    @Provide
    Arbitrary<List<String>> noise() {
        return Arbitraries.oneOf(COMMENT, IGNORED_FIELD).list().ofMaxSize(30);
    }

    @Property
    void extraBlankLinesAndCommentOnlyBlocksProduceNoEvents(
            @ForAll("events") List<Sent> events,
            @ForAll("noise") List<String> noise) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add(": OPENROUTER PROCESSING");
        lines.add("");
        for (String l : encode(events, List.of(), true, true)) {
            lines.add(l);
            if (l.isEmpty()) {
                lines.add("");
                lines.addAll(noise.stream().filter(n -> n.startsWith(":")).toList());
                lines.add("");
            }
        }
        assertThat(readAll(lines)).containsExactlyElementsOf(events.stream().map(Sent::expected).toList());
    }

    @Example
    void openAiStreamIsReadAsDataEventsEndingInDone() {
        List<SseReader.Event> read = readAll(List.of(
                ": OPENROUTER PROCESSING", "",
                "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}", "",
                "data: [DONE]", ""));
        assertThat(read).containsExactly(
                new SseReader.Event("message", "{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}"),
                new SseReader.Event("message", "[DONE]"));
    }

    @Example
    void anthropicStyleNamedEventsKeepTheirNames() {
        List<SseReader.Event> read = readAll(List.of(
                "event: message_start", "data: {\"type\":\"message_start\"}", "",
                "event: ping", "data: {\"type\": \"ping\"}", ""));
        assertThat(read).extracting(SseReader.Event::type).containsExactly("message_start", "ping");
    }

    @Example
    void onlyOneSpaceAfterTheColonIsRemoved() {
        assertThat(readAll(List.of("data:  two", "", "data:none", "", "data", "")))
                .extracting(SseReader.Event::data).containsExactly(" two", "none", "");
    }

    @Example
    void aNameWithoutDataIsNotAnEventAndDoesNotLeakIntoTheNext() {
        assertThat(readAll(List.of("event: orphan", "", "data: x", "")))
                .containsExactly(new SseReader.Event("message", "x"));
    }

    @Example
    void anEmptyOrCommentOnlyStreamHasNoEvents() {
        assertThat(readAll(List.of())).isEmpty();
        assertThat(readAll(List.of(": keep-alive", "", ": keep-alive"))).isEmpty();
    }

    @Example
    void anEmptyEventNameMeansMessage() {
        assertThat(readAll(List.of("event:", "data: x", "", "event: ", "data: y", "")))
                .extracting(SseReader.Event::type).containsExactly("message", "message");
    }
}
