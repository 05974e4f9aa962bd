package dev.switchboard.provider.ollama.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Just enough HTTP/1.1 over a unix-domain socket for the Docker Engine API: one request per connection
 * ({@code Connection: close}), bodies framed by Content-Length, chunked transfer coding or end of stream.
 */
final class UnixHttp {
    private static final int MAX_HEADER_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final long MAX_BUFFERED_BODY = 16L * 1024 * 1024;

    // A blocking SocketChannel has no read timeout, so a watchdog closes the channel when a call overruns.
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "docker-socket-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Path socket;

    UnixHttp(Path socket) {
        this.socket = socket;
    }

    Path socket() {
        return socket;
    }

    /** A response whose body is read fully into memory. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A response whose body is still on the wire; closing it closes the connection. */
    static final class Streamed implements AutoCloseable {
        private final int status;
        private final Map<String, String> headers;
        private final InputStream body;
        private final Runnable onClose;
        private final BooleanSupplier expired;

        Streamed(int status, Map<String, String> headers, InputStream body, Runnable onClose,
                 BooleanSupplier expired) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.onClose = onClose;
            this.expired = expired;
        }

        /** Whether the exchange was cut off because it ran past its time limit. */
        boolean expired() {
            return expired.getAsBoolean();
        }

        int status() {
            return status;
        }

        InputStream body() {
            return body;
        }

        Map<String, String> headers() {
            return headers;
        }

        @Override
        public void close() {
            onClose.run();
        }
    }

    Response send(String method, String target, byte[] body, Duration timeout) {
        Streamed s = open(method, target, body, timeout);
        try (s) {
            byte[] bytes = readAll(s.body(), MAX_BUFFERED_BODY);
            return new Response(s.status(), s.headers(), bytes);
        } catch (IOException e) {
            if (s.expired()) {
                throw new DockerException("Docker Engine at " + socket + " did not finish answering " + method + " "
                        + target + " within " + timeout.toMillis() + " ms", e);
            }
            throw failure(method, target, e);
        }
    }

    /** Opens the exchange and returns once the status line and headers are read. The caller must close it. */
    Streamed open(String method, String target, byte[] body, Duration timeout) {
        if (!Files.exists(socket)) {
            throw new DockerException("Docker is not reachable at " + socket
                    + ": the socket does not exist. Is the Docker daemon running, and is the socket mounted here?");
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new DockerException("Docker is not reachable at " + socket + ": " + e.getMessage(), e);
        }
        // Set before the close, so whoever sees the resulting AsynchronousCloseException knows it was the deadline.
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(channel);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        Runnable close = () -> {
            watchdog.cancel(false);
            closeQuietly(channel);
        };
        try {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new DockerException("Docker is not reachable at " + socket + ": " + describe(e)
                        + ". Is the Docker daemon running, and may this user access its socket?", e);
            }
            OutputStream out = Channels.newOutputStream(channel);
            out.write(requestHead(method, target, body).getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 8192);
            String statusLine = readLine(in);
            int status = parseStatus(statusLine);
            Map<String, String> headers = readHeaders(in);
            InputStream bodyStream = bodyStream(method, status, headers, in);
            return new Streamed(status, headers, bodyStream, close, expired::get);
        } catch (DockerException e) {
            close.run();
            throw e;
        } catch (IOException e) {
            close.run();
            if (expired.get()) {
                throw new DockerException("Docker Engine at " + socket + " did not answer " + method + " "
                        + target + " within " + timeout.toMillis() + " ms", e);
            }
            throw failure(method, target, e);
        } catch (RuntimeException e) {
            close.run();
            throw e;
        }
    }

    private DockerException failure(String method, String target, IOException e) {
        return new DockerException("Docker Engine at " + socket + " failed during " + method + " " + target + ": "
                + describe(e), e);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String requestHead(String method, String target, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: docker\r\n")
                .append("User-Agent: switchboard\r\n")
                .append("Accept: application/json\r\n")
                .append("Connection: close\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
            head.append("Content-Length: 0\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static int parseStatus(String line) throws IOException {
        // "HTTP/1.1 200 OK"
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + abbreviate(line));
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: " + abbreviate(line));
        }
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; ; i++) {
            if (i > MAX_HEADERS) {
                throw new IOException("too many response headers");
            }
            String line = readLine(in);
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad response header: " + abbreviate(line));
            }
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
    }

    private static InputStream bodyStream(String method, int status, Map<String, String> headers, InputStream in)
            throws IOException {
        if (method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return InputStream.nullInputStream();
        }
        String te = headers.get("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        String cl = headers.get("content-length");
        if (cl != null) {
            long length;
            try {
                length = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + abbreviate(cl));
            }
            if (length < 0) {
                throw new IOException("bad Content-Length: " + cl);
            }
            return new BoundedInputStream(in, length);
        }
        return in; // Connection: close delimits the body
    }

    /** Reads a CRLF- (or LF-) terminated line as ISO-8859-1, without the terminator. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.isEmpty()) {
                    throw new EOFException("connection closed before a complete response");
                }
                throw new EOFException("connection closed mid-line");
            }
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_HEADER_LINE) {
                throw new IOException("response line too long");
            }
            line.append((char) b);
        }
    }

    static byte[] readAll(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                throw new IOException("response body larger than " + limit + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort; the exchange is over either way
        }
    }

    /** Exactly {@code length} bytes, then end of stream; a short read is an error, not a silent truncation. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("connection closed with " + remaining + " body bytes still expected");
            }
            remaining -= n;
            return n;
        }
    }

    /** Decodes the chunked transfer coding (RFC 9112 §7.1); chunk extensions and trailers are skipped. */
    static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long chunkRemaining;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (chunkRemaining == 0) {
                chunkRemaining = nextChunkSize();
                if (chunkRemaining == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailer fields carry nothing we use
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
            if (n < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            chunkRemaining -= n;
            if (chunkRemaining == 0) {
                String crlf = readLine(in);
                if (!crlf.isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            return n;
        }

        private long nextChunkSize() throws IOException {
            String line = readLine(in);
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
            try {
                long size = Long.parseLong(hex, 16);
                if (size < 0) {
                    throw new NumberFormatException();
                }
                return size;
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + abbreviate(line));
            }
        }
    }
}
