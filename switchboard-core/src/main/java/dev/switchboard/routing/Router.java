package dev.switchboard.routing;

import dev.switchboard.config.FallbackConfig;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.routing.guard.BreakerGuard;
import dev.switchboard.routing.guard.Guard;
import dev.switchboard.state.RoutingState;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Walks the plan: each deployment must pass the guards; a call that fails transiently is retried on the same
 * deployment (Resilience4j Retry: exponential backoff with jitter, or the upstream's Retry-After when it is
 * short), then {@link FailurePolicy} decides the cooldown and which deployments are still worth trying. A stream
 * falls back only before its first token; after that the failure ends the stream.
 */
public final class Router {
    private final Planner planner;
    private final List<Guard> guards;
    private final BreakerGuard breakers;
    private final Budgets budgets;
    private final FailurePolicy policy;
    private final RoutingState state;
    private final DeploymentStats stats;
    private final FallbackConfig fallback;
    private final AttemptListener listener;
    private final java.util.function.Predicate<ModelInfo> providerHealthy;
    private final Clock clock;
    private final RetryConfig retryConfig;
    private final Map<String, Retry> retries = new java.util.concurrent.ConcurrentHashMap<>();

    public Router(Planner planner, List<Guard> guards, BreakerGuard breakers, Budgets budgets, RoutingState state,
                  DeploymentStats stats, FallbackConfig fallback, AttemptListener listener,
                  java.util.function.Predicate<ModelInfo> providerHealthy, Clock clock) {
        this.planner = planner;
        this.guards = List.copyOf(guards);
        this.breakers = breakers;
        this.budgets = budgets;
        this.policy = new FailurePolicy(fallback, state, clock);
        this.state = state;
        this.stats = stats;
        this.fallback = fallback;
        this.listener = listener;
        this.providerHealthy = providerHealthy;
        this.clock = clock;
        this.retryConfig = retryConfig();
    }

    /** Calls one deployment with the request; for streams, also reports whether tokens went out. */
    @FunctionalInterface
    public interface Call {
        ChatResponse call(ModelInfo model, ChatRequest request);
    }

    /**
     * One routed request's progress: its id (what the caller may quote back, in feedback for one) and, for a
     * stream, when the first token reached the client. From then on there is no way back to another model.
     */
    public static final class Progress {
        private final String requestId;
        volatile boolean started;
        volatile long firstTokenNanos;

        public Progress() {
            this(null);
        }

        public Progress(String requestId) {
            this.requestId = requestId == null || requestId.isBlank() ? newRequestId() : requestId;
        }

        public void started() {
            if (!started) {
                firstTokenNanos = System.nanoTime();
                started = true;
            }
        }

        public boolean isStarted() {
            return started;
        }

        public String requestId() {
            return requestId;
        }
    }

    /** A request id for callers that bring none: {@code req-} and 24 random hex digits. */
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    /** {@code req-} and 24 random hex digits. */
    public static String newRequestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "req-" + HEX.toHexDigits(r.nextLong()) + HEX.toHexDigits(r.nextInt());
    }

    public ChatResponse route(ChatRequest request, Call call, Progress progress) {
        Planner.Plan plan = planner.plan(request);
        RouteContext ctx = RouteContext.of(request, clock.instant());
        List<ModelInfo> queue = healthyFirst(plan.order());
        List<Explanation.Attempt> attempts = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        Map<String, ModelInfo> cooling = new LinkedHashMap<>();
        FailurePolicy.Scope scope = new FailurePolicy.Scope();
        ModelFailure last = null;
        ModelInfo previous = null;
        boolean reordered = false;
        for (int i = 0; i < queue.size(); i++) {
            ModelInfo m = queue.get(i);
            String out = scope.excludes(m);
            if (out == null) {
                out = admit(m, ctx, false);
            }
            if (out != null) {
                skipped.put(m.key(), out);
                if (out.startsWith("cooling down")) {
                    cooling.put(m.key(), m);
                }
                continue;
            }
            try {
                return succeed(plan, m, request, call, progress, attempts, skipped, null, previous);
            } catch (ModelFailure f) {
                last = f;
                previous = m;
                if (progress.started) {
                    throw failure(plan, attempts, skipped, f, true);
                }
                policy.after(m, f, scope);
                if (!reordered) {
                    reorder(queue, i + 1, m);
                    reordered = true;
                }
            }
        }
        if (attempts.isEmpty() && !cooling.isEmpty()) {
            // Everything is cooling down: rather than fail blindly, try the one that recovers first, and say so.
            ModelInfo soonest = cooling.values().stream()
                    .min(Comparator.comparing(m -> state.cooldownUntil(m.key()).orElse(Instant.MIN))).orElseThrow();
            String note = "every candidate is cooling down; tried " + soonest.key() + ", whose cooldown ends first";
            String other = admit(soonest, ctx, true);
            try {
                if (other != null) {
                    skipped.put(soonest.key(), skipped.get(soonest.key()) + "; " + other);
                } else {
                    return succeed(plan, soonest, request, call, progress, attempts, skipped, note, previous);
                }
            } catch (ModelFailure f) {
                last = f;
                policy.after(soonest, f, scope);
                if (progress.started) {
                    throw failure(plan, attempts, skipped, f, true);
                }
            }
        }
        throw failure(plan, attempts, skipped, last, false);
    }

    /**
     * Deployments of providers last seen unhealthy go to the back of the line rather than out of it: the health
     * view may be stale, and a request that reaches one proves it either way.
     */
    private List<ModelInfo> healthyFirst(List<ModelInfo> order) {
        List<ModelInfo> healthy = new ArrayList<>(order.size());
        List<ModelInfo> doubtful = new ArrayList<>(0);
        for (ModelInfo m : order) {
            (providerHealthy.test(m) ? healthy : doubtful).add(m);
        }
        healthy.addAll(doubtful);
        return healthy;
    }

    /** Runs the guards in order; a refusal gives back what the earlier guards took. */
    private String admit(ModelInfo m, RouteContext ctx, boolean ignoreCooldown) {
        for (int g = 0; g < guards.size(); g++) {
            if (ignoreCooldown && guards.get(g) instanceof dev.switchboard.routing.guard.CooldownGuard) {
                continue;
            }
            String why = guards.get(g).admit(m, ctx);
            if (why != null) {
                for (int k = g - 1; k >= 0; k--) {
                    guards.get(k).release(m);
                }
                return why;
            }
        }
        return null;
    }

    private ChatResponse succeed(Planner.Plan plan, ModelInfo m, ChatRequest request, Call call, Progress progress,
                                 List<Explanation.Attempt> attempts, Map<String, String> skipped, String note,
                                 ModelInfo previous) {
        AtomicInteger tries = new AtomicInteger();
        long[] tryStart = new long[1];
        Instant[] tryAt = new Instant[1];
        Supplier<ChatResponse> once = () -> {
            tries.incrementAndGet();
            tryAt[0] = clock.instant();
            tryStart[0] = System.nanoTime();
            try {
                return call.call(m, request);
            } catch (ModelFailure f) {
                // Every try is an attempt of its own in the record, a retried one too: the history should see a
                // deployment that needs retries, and the latency of the try that succeeds should be its own.
                listener.attempted(new AttemptListener.Attempt(progress.requestId(), m, plan.requirements().taskType(),
                        request.stream(), tryAt[0], f.kind(), (System.nanoTime() - tryStart[0]) / 1e6,
                        ttft(progress, tryStart[0]), null, f, f.getMessage(), 0, previous));
                // Once tokens went out nothing may be retried: hide the failure from the retry predicate.
                throw progress.started ? new AfterFirstToken(f) : f;
            }
        };
        Instant at = clock.instant();
        long start = System.nanoTime();
        stats.started(m.key());
        try {
            ChatResponse r;
            try {
                r = Retry.decorateSupplier(retries.computeIfAbsent(m.key(), k -> Retry.of(k, retryConfig)), once).get();
            } catch (AfterFirstToken e) {
                throw e.failure;
            }
            long nanos = System.nanoTime() - start;
            double ms = nanos / 1e6;
            stats.succeeded(m.key(), ms);
            breakers.record(m, nanos, null);
            double cost = budgets.price(m, r.usage(), ms);
            budgets.record(m, cost);
            ChatResponse priced = r.usage().cost() == null && cost > 0 ? withCost(r, cost) : r;
            listener.attempted(new AttemptListener.Attempt(progress.requestId(), m, plan.requirements().taskType(),
                    request.stream(), tryAt[0], "success", (System.nanoTime() - tryStart[0]) / 1e6, ttft(progress, tryStart[0]), priced, null, null,
                    cost, previous));
            attempts.add(new Explanation.Attempt(m.key(), "success", Planner.round(ms), tries.get() - 1, null));
            Explanation explanation = explanation(plan, m.key(), attempts, skipped, note);
            // One copy of the upstream's metadata with routing's additions, not one copy per addition.
            Map<String, Object> meta = new LinkedHashMap<>(priced.metadata());
            if (r.id() != null) {
                meta.put("upstream_id", r.id());
            }
            meta.put("request_id", progress.requestId());
            meta.put("routing", explanation);
            meta.put("provider_type", m.providerType().wire());
            return new ChatResponse(progress.requestId(), priced.text(), priced.modelId(), priced.provider(),
                    priced.usage(), ms, priced.finishReason(), meta);
        } catch (ModelFailure f) {
            long nanos = System.nanoTime() - start;
            stats.failed(m.key(), f.kind(), f.getMessage(), clock.instant());
            breakers.record(m, nanos, f);
            // Each failed try was recorded as it happened.
            attempts.add(new Explanation.Attempt(m.key(), f.kind(), Planner.round(nanos / 1e6), tries.get() - 1, f.getMessage()));
            throw f;
        } catch (RuntimeException e) {
            long nanos = System.nanoTime() - start;
            stats.failed(m.key(), "error", e.getMessage(), clock.instant());
            breakers.record(m, nanos, null);
            listener.attempted(new AttemptListener.Attempt(progress.requestId(), m, plan.requirements().taskType(),
                    request.stream(), at, "error", nanos / 1e6, Double.NaN, null, null, String.valueOf(e.getMessage()), 0,
                    previous));
            throw e;
        } finally {
            for (int g = guards.size() - 1; g >= 0; g--) {
                guards.get(g).release(m);
            }
        }
    }

    /** Time from the start of the try that streamed to its first token; NaN when nothing was streamed. */
    private static double ttft(Progress progress, long tryStart) {
        return progress.started && tryStart != 0 ? Math.max(0, progress.firstTokenNanos - tryStart) / 1e6 : Double.NaN;
    }

    private static ChatResponse withCost(ChatResponse r, double cost) {
        return new ChatResponse(r.id(), r.text(), r.modelId(), r.provider(), r.usage().withCost(cost), r.latencyMs(),
                r.finishReason(), r.metadata());
    }

    /** A failure after the stream began, carried past the retry predicate (which would otherwise retry it). */
    private static final class AfterFirstToken extends RuntimeException {
        final ModelFailure failure;

        AfterFirstToken(ModelFailure failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    /** Same-deployment retries for transient failures only; a short Retry-After is waited out, else backoff. */
    private RetryConfig retryConfig() {
        long maxWaitMs = (long) (fallback.maxRetryWaitSeconds() * 1000);
        return RetryConfig.custom()
                .maxAttempts(Math.max(1, fallback.maxRetries() + 1))
                .retryOnException(t -> t instanceof ModelFailure f && FailurePolicy.retryable(f, maxWaitMs))
                .intervalBiFunction((attempt, result) -> {
                    if (result.isLeft() && result.getLeft() instanceof ModelFailure.RateLimited r && r.retryAfter().isPresent()) {
                        return r.retryAfter().get().toMillis();
                    }
                    return backoffMillis(attempt);
                })
                .build();
    }

    /** Exponential from retry_delay_seconds, capped, with ±50 % jitter so retries do not stampede. */
    long backoffMillis(int attempt) {
        double base = fallback.retryDelaySeconds() * 1000 * Math.pow(2, Math.max(0, attempt - 1));
        double capped = Math.min(base, fallback.maxRetryDelaySeconds() * 1000);
        return (long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    /**
     * After the first failure the rest of the plan follows the seed's fallback strategy (performance_based keeps
     * the rank order, cost_based puts cheaper first, availability_based puts fewer failures first), and, with
     * {@code prefer_different_provider}, other providers before the one that just failed.
     */
    private void reorder(List<ModelInfo> queue, int from, ModelInfo failed) {
        if (from >= queue.size()) {
            return;
        }
        List<ModelInfo> rest = new ArrayList<>(queue.subList(from, queue.size()));
        Comparator<ModelInfo> order = switch (fallback.fallbackStrategy()) {
            case "cost_based" -> Comparator.comparingDouble(m -> m.costPerToken() == null ? 0 : m.costPerToken());
            case "availability_based" -> Comparator.comparingLong(m -> {
                DeploymentStats.Entry e = stats.peek(m.key());
                return e == null ? 0 : e.failures();
            });
            default -> (a, b) -> 0;
        };
        if (fallback.preferDifferentProvider()) {
            order = Comparator.<ModelInfo>comparingInt(m -> m.provider().equals(failed.provider()) ? 1 : 0).thenComparing(order);
        }
        rest.sort(order);
        for (int k = 0; k < rest.size(); k++) {
            queue.set(from + k, rest.get(k));
        }
    }

    private Explanation explanation(Planner.Plan plan, String chosen, List<Explanation.Attempt> attempts,
                                    Map<String, String> skipped, String note) {
        List<Explanation.Candidate> candidates = new ArrayList<>(plan.candidates().size());
        Set<String> tried = new HashSet<>();
        attempts.forEach(a -> tried.add(a.model()));
        List<Explanation.Excluded> excluded = new ArrayList<>(plan.excluded());
        for (Explanation.Candidate c : plan.candidates()) {
            String why = skipped.get(c.model());
            if (why != null && !tried.contains(c.model())) {
                excluded.add(Explanation.Excluded.of(c.model(), why));
            } else if (note != null && c.model().equals(chosen)) {
                candidates.add(new Explanation.Candidate(c.model(), c.score(), c.breakdown(), note));
            } else {
                candidates.add(c);
            }
        }
        return new Explanation(plan.strategy(), plan.requirements().taskType().wire(), chosen, candidates, excluded,
                List.copyOf(attempts));
    }

    private RoutingFailure failure(Planner.Plan plan, List<Explanation.Attempt> attempts, Map<String, String> skipped,
                                   ModelFailure last, boolean midStream) {
        Explanation explanation = explanation(plan, null, attempts, skipped, null);
        String message;
        if (midStream) {
            message = last.provider() + ":" + last.modelId() + " failed after the answer had started: " + last.getMessage();
        } else if (attempts.isEmpty()) {
            message = "No suitable model available: " + (plan.order().isEmpty()
                    ? "no model meets the requirements" : "every candidate was skipped") + summary(explanation);
        } else {
            message = "No model could serve the request after " + attempts.size() + " attempt(s); last: "
                    + (last == null ? "none" : last.getMessage());
        }
        boolean throttled = attempts.isEmpty() && !skipped.isEmpty() && skipped.values().stream().allMatch(Router::heldForLoad);
        return new RoutingFailure(message, explanation, last, policy.earliestRetry(attempts, plan), midStream, throttled);
    }

    /** A guard's refusal that passes with time (a limit's window, a cooldown), not one about the request itself. */
    private static boolean heldForLoad(String reason) {
        return reason.startsWith("cooling down") || reason.startsWith("max_parallel_requests ")
                || (reason.startsWith("rpm limit ") || reason.startsWith("tpm limit ")) && reason.endsWith(" reached");
    }

    private static String summary(Explanation e) {
        if (e.excluded().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        int shown = 0;
        for (Explanation.Excluded x : e.excluded()) {
            if (shown++ == 3) {
                sb.append(", …");
                break;
            }
            sb.append(shown > 1 ? ", " : "").append(x.model()).append(": ").append(x.reason());
        }
        return sb.append(')').toString();
    }

    public Planner planner() {
        return planner;
    }
}
