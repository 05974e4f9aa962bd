package dev.switchboard.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes Server-Sent Events. The response head is sent with the first event, not before, so a request that fails
 * before producing anything still gets a proper status code and JSON error.
 */
public final class SseWriter {
    private final Context ctx;
    private OutputStream out;

    public SseWriter(Context ctx) {
        this.ctx = ctx;
    }

    public boolean started() {
        return out != null;
    }

    /** Sends one {@code data:} event (optionally named). Throws {@link UncheckedIOException} when the client is gone. */
    public void event(String name, byte[] json) {
        try {
            OutputStream o = open();
            if (name != null) {
                o.write(("event: " + name + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            o.write(DATA);
            o.write(json);
            o.write(END);
            o.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("client disconnected", e);
        }
    }

    public void done() {
        try {
            OutputStream o = open();
            o.write(DONE);
            o.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("client disconnected", e);
        }
    }

    private OutputStream open() throws IOException {
        if (out == null) {
            ctx.status(200);
            ctx.contentType("text/event-stream; charset=utf-8");
            ctx.header("Cache-Control", "no-cache");
            ctx.header("X-Accel-Buffering", "no");
            ctx.disableCompression();
            out = ctx.res().getOutputStream();
        }
        return out;
    }

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
}
