package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.switchboard.testkit.MockOpenAiServer.Recorded;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The HTTP plumbing the mocks share: reading a request, sending an answer, writing a stream, applying a fault. */
final class MockHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockHttp() {}

    /** The request as the OpenAI and Anthropic mocks record it, its body read whole. */
    static Recorded read(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        return new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body, ex.getRemoteAddress().getPort());
    }

    /** A whole answer; an empty body is sent without one (length -1), not as an empty chunked stream. */
    static void send(HttpExchange ex, int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    /** Applies a fault's delay, and answers its status instead of the request when it has one; true when it did. */
    static boolean answeredByFault(HttpExchange ex, Fault fault) throws IOException {
        if (fault != null && fault.delay() != null) {
            sleep(fault.delay().toMillis());
        }
        if (fault != null && fault.status() > 0) {
            send(ex, fault.status(), "application/json", fault.body().getBytes(StandardCharsets.UTF_8), fault.headers());
            return true;
        }
        return false;
    }

    /**
     * Ends a stream the way the fault says, if it is one that ends streams: {@code TRUNCATED} sends nothing more (the
     * connection closes mid-answer), {@code MID_STREAM_ERROR} sends {@code errorEvent}, {@code MALFORMED} a cut-off
     * {@code malformedEvent}; true when it did.
     */
    static boolean cutShort(OutputStream out, Fault fault, String errorEvent, String malformedEvent) throws IOException {
        String last = switch (fault.kind()) {
            case TRUNCATED -> "";
            case MID_STREAM_ERROR -> errorEvent;
            case MALFORMED -> malformedEvent;
            default -> null;
        };
        if (last != null && !last.isEmpty()) {
            write(out, last);
        }
        return last != null;
    }

    /** Writes and flushes at once, so a client sees each event (or line) when the mock sends it. */
    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One NDJSON line, flushed. */
    static void line(OutputStream out, JsonNode json) throws IOException {
        out.write(JSON.writeValueAsBytes(json));
        out.write('\n');
        out.flush();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
