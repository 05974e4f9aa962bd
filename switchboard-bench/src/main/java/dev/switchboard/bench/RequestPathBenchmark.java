package dev.switchboard.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's whole non-streamed request path in one thread, upstream mocked in-process: request bytes →
 * {@code BodyParser.parse} → {@code OpenAiApi.complete} (map, route through the started ModelManager, map to the
 * upstream wire, serialize, "send", parse the upstream answer, map back) → {@code Json.bytes}. What is left out
 * is HTTP: Jetty/Javalin, sockets, the real upstream round trip.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RequestPathBenchmark {

    /** Time per request. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] fullPath(GatewayState s) {
        return s.gateway.handle(s.request);
    }

    /** Requests per second (per benchmark thread; add {@code -t N} to load the shared gateway from N threads). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] fullPathThroughput(GatewayState s) {
        return s.gateway.handle(s.request);
    }
}
