package dev.switchboard.provider.http;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** A complete upstream response. {@code header} looks a header up case-insensitively. */
public record HttpResult(int status, Function<String, String> header, byte[] body) {
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
}
