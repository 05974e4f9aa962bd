package dev.switchboard.routing;

import dev.switchboard.config.FallbackConfig;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.StreamSink;
import dev.switchboard.model.Usage;
import dev.switchboard.routing.guard.Admission;
import dev.switchboard.routing.guard.CooldownGuard;
import dev.switchboard.routing.guard.Guard;
import dev.switchboard.routing.guard.Permit;
import dev.switchboard.state.RoutingState;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Walks the plan: each deployment must pass the guards; a call that fails transiently is retried on the same
 * deployment (Resilience4j Retry: exponential backoff with jitter, or the upstream's Retry-After when it is
 * short), then {@link FailurePolicy} decides the cooldown and which deployments are still worth trying. A stream
 * falls back only before its first token; after that the failure ends the stream.
 */
public final class Router {
    private final Planner planner;
    private final List<Guard> guards;
    private final Pricing pricing;
    private final FailurePolicy policy;
    private final RoutingState state;
    private final DeploymentStats stats;
    private final FallbackConfig fallback;
    private final AttemptListener listener;
    private final java.util.function.Predicate<ModelInfo> providerHealthy;
    private final Clock clock;
    private final RetryConfig retryConfig;
    private final Map<DeploymentKey, Retry> retries = new java.util.concurrent.ConcurrentHashMap<>();

    public Router(Planner planner, List<Guard> guards, Pricing pricing, RoutingState state, DeploymentStats stats,
                  FallbackConfig fallback, AttemptListener listener,
                  java.util.function.Predicate<ModelInfo> providerHealthy, Clock clock) {
        this.planner = planner;
        this.guards = List.copyOf(guards);
        this.pricing = pricing;
        this.policy = new FailurePolicy(fallback, state, clock);
        this.state = state;
        this.stats = stats;
        this.fallback = fallback;
        this.listener = listener;
        this.providerHealthy = providerHealthy;
        this.clock = clock;
        this.retryConfig = new RetryPolicy(fallback).config();
    }

    /** Calls one deployment. */
    @FunctionalInterface
    public interface Call<R> {
        R call(ModelInfo model);
    }

    /** Streams from one deployment into a sink. */
    @FunctionalInterface
    public interface StreamCall {
        ChatResponse stream(ModelInfo model, StreamSink sink);
    }

    /**
     * One routed request's progress: its id (what the caller may quote back, in feedback for one) and, for a
     * stream, when the first token reached the client. From then on there is no way back to another model.
     */
    public static final class Progress {
        private final String requestId;
        private volatile boolean started;
        private volatile long firstTokenNanos;

        public Progress() {
            this(null);
        }

        public Progress(String requestId) {
            this.requestId = requestId == null || requestId.isBlank() ? newRequestId() : requestId;
        }

        private void started() {
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

    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    /** A request id for callers that bring none: {@code req-} and 24 random hex digits. */
    public static String newRequestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "req-" + HEX.toHexDigits(r.nextLong()) + HEX.toHexDigits(r.nextInt());
    }

    public ChatResponse route(ChatRequest request, Call<ChatResponse> call, Progress progress) {
        return route(RouteRequest.of(request), call, progress, Outcome.CHAT, AttemptListener.Operation.CHAT);
    }

    /**
     * Streams the answer into {@code sink}. The first delta a deployment produces that the caller would see (text,
     * a tool call, a refusal, log-probabilities, extras) marks the point of no return: {@code servedBy} hears which
     * deployment it is just before the delta is passed on, and from then on a failure ends the stream instead of
     * falling back. Every streaming entry point goes through here, so none can forget it.
     */
    public ChatResponse stream(ChatRequest request, StreamCall call, StreamSink sink, Consumer<ModelInfo> servedBy,
                               Progress progress) {
        return route(RouteRequest.of(request), m -> call.stream(m, delta -> {
            if (!progress.started) {
                if (!delta.isOutput()) {
                    return; // a bare finish: the caller learns it from the finished answer
                }
                servedBy.accept(m);
                progress.started();
            }
            sink.accept(delta);
        }), progress, Outcome.CHAT, AttemptListener.Operation.CHAT);
    }

    public <R> R route(RouteRequest request, Call<R> call, Progress progress, Outcome<R> outcome,
                       AttemptListener.Operation operation) {
        Planner.Plan plan = planner.plan(request.model(), request.requirements());
        RouteContext ctx = new RouteContext(request, clock.instant());
        Walk<R> walk = new Walk<>(plan, request, call, progress, outcome, operation);
        List<ModelInfo> queue = healthyFirst(plan.order());
        Map<DeploymentKey, ModelInfo> cooling = new LinkedHashMap<>();
        FailurePolicy.Scope scope = new FailurePolicy.Scope();
        boolean reordered = false;
        for (int i = 0; i < queue.size(); i++) {
            ModelInfo m = queue.get(i);
            Admission a = scope.excludes(m);
            if (a == null) {
                a = admit(m, ctx, false);
            }
            if (a instanceof Admission.Refused out) {
                walk.skipped.put(m.key(), out);
                if (out.hold() == Admission.Hold.COOLDOWN) {
                    cooling.put(m.deployment(), m);
                }
                continue;
            }
            try {
                return walk.serve(m, ((Admission.Admitted) a).permit(), null);
            } catch (ModelFailure f) {
                if (progress.started) {
                    throw walk.failure(true);
                }
                policy.after(m, f, scope, request.caller());
                if (!fallback.enabled()) {
                    throw walk.failure(false); // fallback_config.enabled: false
                }
                if (!reordered) {
                    reorder(queue, i + 1, m);
                    reordered = true;
                }
            }
        }
        if (walk.attempts.isEmpty() && !cooling.isEmpty()) {
            // Everything is cooling down: rather than fail blindly, try the one that recovers first, and say so.
            ModelInfo soonest = cooling.values().stream()
                    .min(Comparator.comparing(m -> state.cooldownUntil(m.key()).orElse(Instant.MIN))).orElseThrow();
            Admission a = admit(soonest, ctx, true);
            if (a instanceof Admission.Refused other) {
                walk.skipped.put(soonest.key(), walk.skipped.get(soonest.key()).with(other.reason()));
            } else {
                try {
                    return walk.serve(soonest, ((Admission.Admitted) a).permit(), "every candidate is cooling down; tried "
                            + soonest.key() + ", whose cooldown ends first");
                } catch (ModelFailure f) {
                    policy.after(soonest, f, scope, request.caller());
                    if (progress.started) {
                        throw walk.failure(true);
                    }
                }
            }
        }
        throw walk.failure(false);
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

    /**
     * Runs the guards in order: admitted with every guard's permit as one, or refused, giving back what the earlier
     * guards took.
     */
    private Admission admit(ModelInfo m, RouteContext ctx, boolean ignoreCooldown) {
        List<Permit> permits = new ArrayList<>(guards.size());
        for (Guard guard : guards) {
            if (ignoreCooldown && guard instanceof CooldownGuard) {
                continue;
            }
            switch (guard.admit(m, ctx)) {
                case Admission.Admitted a -> permits.add(a.permit());
                case Admission.Refused r -> {
                    Permit.all(permits).release();
                    return r;
                }
            }
        }
        return Admission.admitted(Permit.all(permits));
    }

    /** One request's way through the plan: what was skipped, each deployment's attempt, and the last failure. */
    private final class Walk<R> {
        final Planner.Plan plan;
        final RouteRequest request;
        final Call<R> call;
        final Progress progress;
        final Outcome<R> outcome;
        final AttemptListener.Operation operation;
        final List<Explanation.Attempt> attempts = new ArrayList<>();
        final Map<String, Admission.Refused> skipped = new LinkedHashMap<>();
        ModelFailure last;
        ModelInfo previous;

        Walk(Planner.Plan plan, RouteRequest request, Call<R> call, Progress progress, Outcome<R> outcome,
             AttemptListener.Operation operation) {
            this.plan = plan;
            this.request = request;
            this.call = call;
            this.progress = progress;
            this.outcome = outcome;
            this.operation = operation;
        }

        /** Calls {@code m} (with same-deployment retries) after its guards admitted it; settles their permit after. */
        R serve(ModelInfo m, Permit permit, String note) {
            Turn turn = new Turn(m);
            long start = System.nanoTime();
            stats.started(m.key());
            try {
                R r;
                try {
                    r = Retry.decorateSupplier(retries.computeIfAbsent(m.deployment(), k -> Retry.of(k.toString(), retryConfig)),
                            () -> turn.once(call)).get();
                } catch (AfterFirstToken e) {
                    throw e.failure;
                }
                long nanos = System.nanoTime() - start;
                double ms = nanos / 1e6;
                stats.succeeded(m.key(), ms);
                Usage usage = outcome.usage(r);
                double cost = pricing.price(m, usage, ms);
                permit.onSuccess(nanos, cost);
                Usage priced = usage.cost() == null && cost > 0 ? usage.withCost(cost) : usage;
                turn.record("success", priced, null, null, cost);
                attempts.add(new Explanation.Attempt(m.key(), "success", Planner.round(ms), turn.tries - 1, null));
                String paid = request.caller().paymentNote(m.providerType());
                Explanation explanation = explanation(m.key(), paid == null ? note : note == null ? paid : note + "; " + paid);
                return outcome.settle(r, new Outcome.Settled(progress.requestId(), priced, ms, explanation,
                        m.providerType().wire()));
            } catch (ModelFailure f) {
                long nanos = System.nanoTime() - start;
                stats.failed(m.key(), f.kind(), f.getMessage(), clock.instant());
                permit.onFailure(nanos, f);
                // Each failed try was recorded as it happened.
                attempts.add(new Explanation.Attempt(m.key(), f.kind(), Planner.round(nanos / 1e6), turn.tries - 1, f.getMessage()));
                last = f;
                previous = m;
                throw f;
            } catch (RuntimeException e) {
                long nanos = System.nanoTime() - start;
                stats.failed(m.key(), "error", e.getMessage(), clock.instant());
                permit.onFailure(nanos, null);
                turn.at = turn.at == null ? clock.instant() : turn.at;
                turn.tryStart = start;
                turn.record("error", null, null, String.valueOf(e.getMessage()), 0);
                throw e;
            } finally {
                permit.release();
            }
        }

        /** One deployment's tries: each try is its own recorded attempt, a retried one too. */
        private final class Turn {
            final ModelInfo m;
            int tries;
            Instant at;
            long tryStart;

            Turn(ModelInfo m) {
                this.m = m;
            }

            R once(Call<R> c) {
                tries++;
                at = clock.instant();
                tryStart = System.nanoTime();
                try {
                    return c.call(m);
                } catch (ModelFailure f) {
                    // The history should see a deployment that needs retries, and the latency of the try that
                    // succeeds should be its own.
                    record(f.kind(), null, f, f.getMessage(), 0);
                    // Once tokens went out nothing may be retried: hide the failure from the retry predicate.
                    throw progress.started ? new AfterFirstToken(f) : f;
                }
            }

            void record(String outcomeName, Usage usage, ModelFailure failure, String error, double cost) {
                double ttft = progress.started && tryStart != 0
                        ? Math.max(0, progress.firstTokenNanos - tryStart) / 1e6 : Double.NaN;
                listener.attempted(new AttemptListener.Attempt(progress.requestId(), m, plan.requirements().taskType(),
                        operation, request.stream(), at, outcomeName, (System.nanoTime() - tryStart) / 1e6, ttft, usage,
                        failure, error, cost, previous, request.caller()));
            }
        }

        Explanation explanation(String chosen, String note) {
            List<Explanation.Candidate> candidates = new ArrayList<>(plan.candidates().size());
            java.util.Set<String> tried = new java.util.HashSet<>();
            attempts.forEach(a -> tried.add(a.model()));
            List<Explanation.Excluded> excluded = new ArrayList<>(plan.excluded());
            for (Explanation.Candidate c : plan.candidates()) {
                Admission.Refused why = skipped.get(c.model());
                if (why != null && !tried.contains(c.model())) {
                    excluded.add(Explanation.Excluded.of(c.model(), why.reason()));
                } else if (note != null && c.model().equals(chosen)) {
                    candidates.add(new Explanation.Candidate(c.model(), c.score(), c.breakdown(), note));
                } else {
                    candidates.add(c);
                }
            }
            return new Explanation(plan.strategy(), plan.requirements().taskType().wire(), chosen, candidates, excluded,
                    List.copyOf(attempts));
        }

        RoutingFailure failure(boolean midStream) {
            return RoutingFailures.of(plan, explanation(null, null), attempts, skipped, last, midStream,
                    policy.earliestRetry(attempts, plan),
                    last != null && previous != null && request.caller().owns(previous.providerType(), last));
        }
    }

    /** A failure after the stream began, carried past the retry predicate (which would otherwise retry it). */
    private static final class AfterFirstToken extends RuntimeException {
        final ModelFailure failure;

        AfterFirstToken(ModelFailure failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
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
            case COST_BASED -> Comparator.comparingDouble(m -> m.costPerToken() == null ? 0 : m.costPerToken());
            case AVAILABILITY_BASED -> Comparator.comparingLong(m -> {
                DeploymentStats.Entry e = stats.peek(m.key());
                return e == null ? 0 : e.failures();
            });
            case PERFORMANCE_BASED -> (a, b) -> 0;
        };
        if (fallback.preferDifferentProvider()) {
            order = Comparator.<ModelInfo>comparingInt(m -> m.provider().equals(failed.provider()) ? 1 : 0).thenComparing(order);
        }
        rest.sort(order);
        for (int k = 0; k < rest.size(); k++) {
            queue.set(from + k, rest.get(k));
        }
    }

    public Planner planner() {
        return planner;
    }
}
