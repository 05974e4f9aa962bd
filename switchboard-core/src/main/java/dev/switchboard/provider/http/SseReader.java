package dev.switchboard.provider.http;

/**
 * Reads Server-Sent Events from a {@link LineStream}: {@code event:} and {@code data:} fields, multi-line data
 * joined with newlines, comment lines (keep-alives such as {@code : OPENROUTER PROCESSING}) skipped, and an
 * event dispatched at each blank line. A final event without a trailing blank line is still delivered.
 */
public final class SseReader {
    private final LineStream lines;

    public SseReader(LineStream lines) {
        this.lines = lines;
    }

    /** One event: its type ({@code message} when none was named) and its data. */
    public record Event(String type, String data) {}

    /** The next event, or null at the end of the stream. */
    public Event next() {
        String type = null;
        StringBuilder data = null;
        String line;
        while ((line = lines.nextLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(type == null || type.isEmpty() ? "message" : type, data.toString());
                }
                type = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (!value.isEmpty() && value.charAt(0) == ' ') {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> type = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> { } // id, retry and unknown fields do not matter to a one-shot completion stream
            }
        }
        return data == null ? null : new Event(type == null || type.isEmpty() ? "message" : type, data.toString());
    }
}
