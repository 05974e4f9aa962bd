package dev.switchboard.routing;

import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Embeddings;
import dev.switchboard.model.Usage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How routing reads and finishes one kind of answer: the usage it prices, and the answer the caller gets back,
 * under the request id, with the cost filled in and the routing explanation added to its metadata.
 */
public interface Outcome<R> {
    Usage usage(R result);

    R settle(R result, Settled settled);

    /** What routing adds to an answer: request id, priced usage, total latency, explanation, provider kind. */
    record Settled(String requestId, Usage usage, double latencyMs, Explanation routing, String providerType) {
        /** The upstream's metadata with routing's additions, built once. */
        Map<String, Object> metadata(Map<String, Object> upstream, String upstreamId) {
            Map<String, Object> meta = new LinkedHashMap<>(upstream);
            if (upstreamId != null) {
                meta.put("upstream_id", upstreamId);
            }
            meta.put("request_id", requestId);
            meta.put("routing", routing);
            meta.put("provider_type", providerType);
            return meta;
        }
    }

    Outcome<ChatResponse> CHAT = new Outcome<>() {
        @Override
        public Usage usage(ChatResponse r) {
            return r.usage();
        }

        @Override
        public ChatResponse settle(ChatResponse r, Settled s) {
            return r.withUsage(s.usage()).routed(s.requestId(), s.latencyMs(), s.metadata(r.metadata(), r.id()));
        }
    };

    Outcome<Embeddings> EMBEDDINGS = new Outcome<>() {
        @Override
        public Usage usage(Embeddings e) {
            return e.usage();
        }

        @Override
        public Embeddings settle(Embeddings e, Settled s) {
            return new Embeddings(e.modelId(), e.provider(), e.vectors(), s.usage(), s.metadata(e.metadata(), null));
        }
    };
}
