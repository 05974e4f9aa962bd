package dev.switchboard.provider.ollama.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Framing corner cases of the little HTTP/1.1 client, against a server that writes raw bytes. */
@Timeout(30)
class UnixHttpTest {
    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() throws IOException {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    /** Serves one connection: reads the request head, writes {@code raw}, optionally holds the line open. */
    private UnixHttp serving(String raw, boolean holdOpen) throws IOException {
        Path socket = dir.resolve("raw.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(() -> {
            try (SocketChannel ch = server.accept()) {
                InputStream in = Channels.newInputStream(ch);
                while (!UnixHttp.readLine(in).isEmpty()) {
                    // request head consumed
                }
                ch.write(ByteBuffer.wrap(raw.getBytes(StandardCharsets.UTF_8)));
                if (holdOpen) {
                    release.await();
                }
            } catch (IOException | InterruptedException ignored) {
                // test over
            }
        });
        return new UnixHttp(socket);
    }

    @Test
    void aBodyWithoutLengthRunsToTheEndOfTheConnection() throws IOException {
        UnixHttp http = serving("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"a\":1}", false);

        UnixHttp.Response r = http.send("GET", "/_ping", null, Duration.ofSeconds(10));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("{\"a\":1}");
        assertThat(r.header("content-type")).isEqualTo("application/json");
    }

    @Test
    void aBodyShorterThanItsContentLengthIsAnError() throws IOException {
        UnixHttp http = serving("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":1}", false);

        assertThatThrownBy(() -> http.send("GET", "/v1.45/containers/json", null, Duration.ofSeconds(10)))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("GET /v1.45/containers/json")
                .hasMessageContaining("body bytes still expected");
    }

    @Test
    void aSilentEngineTimesOut() throws IOException {
        UnixHttp http = serving("HTTP/1.1 200 OK\r\nContent-Le", true);

        assertThatThrownBy(() -> http.send("GET", "/_ping", null, Duration.ofMillis(300)))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("did not answer GET /_ping");
    }

    @Test
    void somethingThatIsNotHttpIsReportedAsSuch() throws IOException {
        UnixHttp http = serving("SSH-2.0-OpenSSH_9.6\r\n", false);

        assertThatThrownBy(() -> http.send("GET", "/_ping", null, Duration.ofSeconds(10)))
                .isInstanceOf(DockerException.class)
                .hasMessageContaining("not an HTTP response");
    }
}
