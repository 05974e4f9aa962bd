package dev.switchboard.server.http;

import dev.switchboard.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Request and response bodies on the request path, without the per-request copy buffers Javalin's
 * {@code bodyAsBytes()} and {@code result()} allocate (they were most of the garbage each request made).
 */
public final class HttpBodies {
    private HttpBodies() {}

    /** Oversized bodies up to this size are read and dropped, so the client gets to see the 413. */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    /** The request body, refusing anything larger than {@code max} bytes (declared or actually sent). */
    public static byte[] read(Context ctx, long max) {
        long declared = ctx.req().getContentLengthLong();
        try {
            InputStream in = ctx.req().getInputStream();
            if (declared > max) {
                // A client still sending when the connection closes sees a reset, not the answer.
                if (declared <= DRAIN_LIMIT) {
                    in.skipNBytes(declared);
                }
                throw new PayloadTooLarge(max);
            }
            if (declared >= 0) {
                byte[] body = new byte[(int) declared];
                int n = in.readNBytes(body, 0, body.length);
                return n == body.length ? body : java.util.Arrays.copyOf(body, n);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (body.length > max) {
                in.skip(DRAIN_LIMIT);
                throw new PayloadTooLarge(max);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    /** Writes {@code body} as a JSON response with an exact Content-Length. */
    public static void json(Context ctx, Object body) {
        byte[] bytes = Json.bytes(body);
        ctx.contentType("application/json");
        ctx.res().setContentLength(bytes.length);
        try {
            ctx.res().getOutputStream().write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("client disconnected", e);
        }
    }

    /** The body is over the configured limit; answered with 413. */
    public static final class PayloadTooLarge extends RuntimeException {
        public PayloadTooLarge(long max) {
            super("request body is larger than the limit of " + max + " bytes", null, false, false);
        }
    }
}
