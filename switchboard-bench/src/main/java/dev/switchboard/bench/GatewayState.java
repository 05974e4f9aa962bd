package dev.switchboard.bench;

import dev.switchboard.json.Json;
import dev.switchboard.provider.openai.OpenAiWire;
import dev.switchboard.server.openai.ChatWire;
import dev.switchboard.server.http.BodyParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One started gateway per trial, shared by all benchmark threads, plus the intermediate values of the path
 * (parsed request, completion, upstream request) for the benchmarks that time a single stage.
 */
@State(Scope.Benchmark)
public class GatewayState {
    BenchGateway gateway;
    /** The client's request bytes. */
    byte[] request;
    /** The client's request, parsed. */
    ChatWire.Request wireRequest;
    /** The completion the gateway returns to the client, before serialization. */
    ChatWire.Completion completion;
    /** The request the gateway sends upstream, as a record of the same shape the provider serializes. */
    OpenAiWire.ChatCompletionRequest upstreamRequest;
    /** The canned upstream answer bytes. */
    byte[] upstreamResponse;

    /**
     * {@code plain}: the load harness's default request. {@code tools_image}: an agent's request, ten function tools
     * with JSON Schemas and a 100 KB image as a data URL.
     */
    @Param({"plain", "tools_image"})
    public String payload;

    @Setup(Level.Trial)
    public void start() {
        gateway = BenchGateway.start();
        request = Payloads.utf8(payload.equals("plain") ? Payloads.CHAT_REQUEST : Payloads.toolsAndImageRequest());
        upstreamResponse = Payloads.utf8(Payloads.CHAT_COMPLETION);
        gateway.verify(request);
        wireRequest = BodyParser.parse(request, ChatWire.Request.class);
        completion = gateway.api.complete(wireRequest, null);
        try {
            upstreamRequest = Json.mapper().readValue(gateway.transport.lastBody(), OpenAiWire.ChatCompletionRequest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
    }
}
