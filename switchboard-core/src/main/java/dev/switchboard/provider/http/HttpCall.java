package dev.switchboard.provider.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One upstream HTTP request. {@code timeout} bounds the whole call (for streams: until the response head);
 * {@code idleTimeout} bounds the silence between streamed lines.
 */
public record HttpCall(
        String method,
        URI uri,
        Map<String, String> headers,
        byte[] body,
        Duration timeout,
        Duration idleTimeout) {

    public static HttpCall get(URI uri, Map<String, String> headers, Duration timeout) {
        return new HttpCall("GET", uri, headers, null, timeout, timeout);
    }

    public static HttpCall post(URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        return new HttpCall("POST", uri, headers, body, timeout, timeout);
    }

    public static HttpCall delete(URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        return new HttpCall("DELETE", uri, headers, body, timeout, timeout);
    }
}
