package dev.switchboard.provider.http;

import dev.switchboard.model.ModelFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** {@link HttpTransport} on the JDK's {@link HttpClient}: pooled connections, HTTP/2 over TLS, HTTP/1.1 otherwise. */
public final class JdkHttpTransport implements HttpTransport {
    private final HttpClient client;
    private final ExecutorService executor;

    public JdkHttpTransport(Duration connectTimeout) {
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .executor(executor)
                .build();
    }

    @Override
    public HttpResult send(HttpCall call, FailureContext ctx) {
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request(call), HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> response = future.get(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return new HttpResult(response.statusCode(), headerLookup(response.headers()), response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ModelFailure.Timeout(ctx.provider(), ctx.modelId(), 0,
                    "no complete response from " + call.uri().getHost() + " within " + seconds(call.timeout()), e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ModelFailure.Unavailable(ctx.provider(), ctx.modelId(), 0, "interrupted while waiting for upstream", e);
        } catch (ExecutionException e) {
            throw transportFailure(e.getCause(), call, ctx);
        }
    }

    @Override
    public LineStream stream(HttpCall call, FailureContext ctx) {
        LineQueue lines = new LineQueue();
        CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request(call), info -> {
            lines.head(info.statusCode(), info.headers());
            return HttpResponse.BodySubscribers.fromLineSubscriber(lines);
        });
        future.whenComplete((r, t) -> {
            if (t != null) {
                lines.fail(t);
            }
        });
        try {
            lines.awaitHead(call.timeout());
        } catch (TimeoutException e) {
            future.cancel(true);
            lines.close();
            throw new ModelFailure.Timeout(ctx.provider(), ctx.modelId(), 0,
                    "no response from " + call.uri().getHost() + " within " + seconds(call.timeout()), e);
        } catch (ExecutionException e) {
            throw transportFailure(e.getCause(), call, ctx);
        }
        return new QueueLineStream(lines, call, ctx, future);
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }

    private static HttpRequest request(HttpCall call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(call.uri())
                .version("https".equals(call.uri().getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        for (Map.Entry<String, String> h : call.headers().entrySet()) {
            b.setHeader(h.getKey(), h.getValue());
        }
        HttpRequest.BodyPublisher body = call.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(call.body());
        return b.method(call.method(), body).build();
    }

    static Function<String, String> headerLookup(HttpHeaders headers) {
        return name -> headers.firstValue(name).orElse(null);
    }

    static ModelFailure transportFailure(Throwable t, HttpCall call, FailureContext ctx) {
        String host = call.uri().getHost() + (call.uri().getPort() > 0 ? ":" + call.uri().getPort() : "");
        Throwable root = t;
        while (root.getCause() != null && !(root instanceof ConnectException) && !(root instanceof HttpTimeoutException)) {
            root = root.getCause();
        }
        if (t instanceof ModelFailure mf) {
            return mf;
        }
        if (root instanceof HttpConnectTimeoutException) {
            return new ModelFailure.Timeout(ctx.provider(), ctx.modelId(), 0, "connecting to " + host + " timed out", t);
        }
        if (root instanceof HttpTimeoutException) {
            return new ModelFailure.Timeout(ctx.provider(), ctx.modelId(), 0, "request to " + host + " timed out", t);
        }
        if (root instanceof ConnectException || root instanceof UnresolvedAddressException) {
            return new ModelFailure.Unavailable(ctx.provider(), ctx.modelId(), 0,
                    "cannot connect to " + host + " (" + (root.getMessage() == null ? "connection refused" : root.getMessage()) + ")", t);
        }
        if (t instanceof CancellationException) {
            return new ModelFailure.Unavailable(ctx.provider(), ctx.modelId(), 0, "request to " + host + " was cancelled", t);
        }
        String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new ModelFailure.Unavailable(ctx.provider(), ctx.modelId(), 0, "connection to " + host + " failed: " + detail, t);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Receives lines from the JDK client and hands them to the reading thread, with backpressure. */
    private static final class LineQueue implements Flow.Subscriber<String> {
        private static final Object END = new Object();
        private static final int BATCH = 64;
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final CompletableFuture<Void> head = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean closed;
        private int status;
        private HttpHeaders headers;
        private int consumedSinceRequest;

        void head(int status, HttpHeaders headers) {
            this.status = status;
            this.headers = headers;
            head.complete(null);
        }

        void awaitHead(Duration timeout) throws TimeoutException, ExecutionException {
            try {
                head.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExecutionException(e);
            }
        }

        void fail(Throwable t) {
            if (!head.isDone()) {
                head.completeExceptionally(t);
            }
            queue.add(t);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            if (closed) {
                s.cancel();
            } else {
                s.request(BATCH);
            }
        }

        @Override
        public void onNext(String line) {
            queue.add(line);
        }

        @Override
        public void onError(Throwable t) {
            queue.add(t);
        }

        @Override
        public void onComplete() {
            queue.add(END);
        }

        /** Returns the next line, null at the end, or throws the transport failure. */
        Object take(Duration idle) throws InterruptedException {
            Object item = queue.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
            if (item instanceof String && ++consumedSinceRequest >= BATCH / 2) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.request(consumedSinceRequest);
                }
                consumedSinceRequest = 0;
            }
            return item;
        }

        void close() {
            closed = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    private static final class QueueLineStream implements LineStream {
        private final LineQueue lines;
        private final HttpCall call;
        private final FailureContext ctx;
        private final CompletableFuture<?> future;
        private boolean ended;
        private boolean complete;

        QueueLineStream(LineQueue lines, HttpCall call, FailureContext ctx, CompletableFuture<?> future) {
            this.lines = lines;
            this.call = call;
            this.ctx = ctx;
            this.future = future;
        }

        @Override
        public int status() {
            return lines.status;
        }

        @Override
        public Function<String, String> header() {
            return headerLookup(lines.headers);
        }

        @Override
        public String nextLine() {
            if (ended) {
                return null;
            }
            Object item;
            try {
                item = lines.take(call.idleTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new ModelFailure.Unavailable(ctx.provider(), ctx.modelId(), 0, "interrupted while streaming", e);
            }
            if (item == null) {
                close();
                throw new ModelFailure.Timeout(ctx.provider(), ctx.modelId(), lines.status,
                        "stream from " + call.uri().getHost() + " was silent for " + seconds(call.idleTimeout()), null);
            }
            if (item instanceof String s) {
                return s;
            }
            ended = true;
            complete = item == LineQueue.END;
            if (item instanceof Throwable t) {
                Throwable cause = t instanceof IOException || t.getCause() == null ? t : t.getCause();
                throw transportFailure(cause, call, ctx);
            }
            return null;
        }

        @Override
        public boolean finish(Duration grace) {
            long deadline = System.nanoTime() + grace.toNanos();
            try {
                while (!ended) {
                    long left = deadline - System.nanoTime();
                    Object item = left <= 0 ? null : lines.take(Duration.ofNanos(left));
                    if (item == null || item instanceof Throwable) {
                        return false;
                    }
                    if (item == LineQueue.END) {
                        ended = true;
                        complete = true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return complete;
        }

        /**
         * A body read to its end leaves its connection in the client's pool; cancelling the exchange then would
         * close that pooled connection under the next request. Only an unfinished body is cancelled.
         */
        @Override
        public void close() {
            if (complete) {
                return;
            }
            ended = true;
            lines.close();
            future.cancel(true);
        }
    }
}
