package dev.switchboard.server.http;

import dev.switchboard.json.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty rejects some requests before Javalin sees them (an undecodable URI, oversized headers). Those answers get
 * the same JSON error shapes as everything else instead of Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String path = request.getHttpURI() == null || request.getHttpURI().getPath() == null ? "" : request.getHttpURI().getPath();
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        ApiError error = ApiError.of(code, code >= 500 ? "api_error" : "invalid_request_error", "bad_http_request", text);
        // When Jetty could not even parse the URI it no longer knows the path, so it is unknown which API the caller
        // speaks: answer in both shapes at once.
        Object shape;
        if (path.isEmpty() || path.equals("/badMessage")) {
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> both = (java.util.Map<String, Object>) ErrorWriter.body("/v1/", error);
            both.put("detail", text);
            shape = both;
        } else {
            shape = ErrorWriter.body(path, error);
        }
        byte[] body = Json.bytes(shape);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // Jetty drops the connection after a request it could not parse; say so, or a client reuses it and fails.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
