package dev.switchboard.manager;

/** The seed's ModelTestResponse: did a tiny real generation work, and how long did it take. */
public record ConnectivityResult(
        String modelId,
        String provider,
        boolean healthy,
        boolean responseGenerated,
        Double latencyMs,
        String testResponse,
        String error,
        String status) {}
