package dev.switchboard.bench;

import dev.switchboard.json.Json;
import dev.switchboard.provider.openai.OpenAiWire;
import dev.switchboard.server.openai.ChatWire;
import dev.switchboard.server.http.BodyParser;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stages of {@link RequestPathBenchmark#fullPath}, each timed alone on the same data, to split its cost:
 * <pre>
 *   fullPath ≈ clientParse + complete + clientSerialize
 *   complete ≈ upstreamSerialize + upstreamParse + (mapping, routing, bookkeeping)
 * </pre>
 * The stages run warm and in isolation, so their sum is only roughly the whole (caches, inlining differ).
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StageBenchmark {

    /** The client's request bytes into the wire record, with the server's strict mapper. */
    @Benchmark
    public ChatWire.Request clientParse(GatewayState s) {
        return BodyParser.parse(s.request, ChatWire.Request.class);
    }

    /** {@code OpenAiApi.complete} on an already parsed request: everything between the two JSON ends. */
    @Benchmark
    public ChatWire.Completion complete(GatewayState s) {
        return s.gateway.api.complete(s.wireRequest, null);
    }

    /** The completion record into the bytes the client gets. */
    @Benchmark
    public byte[] clientSerialize(GatewayState s) {
        return Json.bytes(s.completion);
    }

    /** The upstream request record into bytes (what the provider does before sending). */
    @Benchmark
    public byte[] upstreamSerialize(GatewayState s) {
        return Json.bytes(s.upstreamRequest);
    }

    /** The upstream's answer bytes into the completion record (what the provider does after receiving). */
    @Benchmark
    public OpenAiWire.ChatCompletion upstreamParse(GatewayState s) throws IOException {
        return Json.mapper().readValue(s.upstreamResponse, OpenAiWire.ChatCompletion.class);
    }
}
