package dev.switchboard.bench;

import dev.switchboard.model.ModelFailure;
import dev.switchboard.provider.http.HttpCall;
import dev.switchboard.provider.http.HttpResult;
import dev.switchboard.provider.http.HttpTransport;
import dev.switchboard.provider.http.LineStream;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * An in-process OpenAI upstream: {@code send} answers every {@code POST …/chat/completions} with a canned
 * {@code chat.completion} and every {@code GET …/models} with a model list, without a socket. It reads the
 * request body it is given (first and last byte, length) so the gateway's upstream serialization is real work
 * with an observable result, and it counts calls and bytes so a benchmark can check the path was taken.
 */
final class CannedTransport implements HttpTransport {
    private static final Function<String, String> JSON_HEADERS =
            name -> "content-type".equalsIgnoreCase(name) ? "application/json" : null;

    private final byte[] completion;
    private final byte[] modelList = Payloads.utf8(Payloads.MODEL_LIST);
    private final byte[] badRequest = Payloads.utf8(Payloads.BAD_REQUEST);
    private final LongAdder chatCalls = new LongAdder();
    private final LongAdder requestBytes = new LongAdder();
    private volatile byte[] lastBody;

    CannedTransport(byte[] completion) {
        this.completion = completion;
    }

    @Override
    public HttpResult send(HttpCall call, FailureContext ctx) {
        String path = call.uri().getPath();
        if ("GET".equals(call.method()) && path.endsWith("/models")) {
            return new HttpResult(200, JSON_HEADERS, modelList);
        }
        if (!"POST".equals(call.method()) || !path.endsWith("/chat/completions")) {
            return new HttpResult(404, JSON_HEADERS, badRequest);
        }
        byte[] body = call.body();
        if (body == null || body.length < 2 || body[0] != '{' || body[body.length - 1] != '}') {
            return new HttpResult(400, JSON_HEADERS, badRequest);
        }
        chatCalls.increment();
        requestBytes.add(body.length);
        lastBody = body;
        // The canned bytes are shared: the gateway only reads them.
        return new HttpResult(200, JSON_HEADERS, completion);
    }

    @Override
    public LineStream stream(HttpCall call, FailureContext ctx) {
        throw new ModelFailure.Unavailable(ctx.provider(), ctx.modelId(), 501,
                "the benchmark transport does not stream", null);
    }

    @Override
    public void close() {
        // nothing to release
    }

    long chatCalls() {
        return chatCalls.sum();
    }

    long requestBytes() {
        return requestBytes.sum();
    }

    /** The last request body the gateway sent upstream, for the set-up checks. */
    byte[] lastBody() {
        return lastBody;
    }
}
