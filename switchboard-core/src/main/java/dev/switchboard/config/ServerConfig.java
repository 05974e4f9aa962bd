package dev.switchboard.config;

import java.util.List;

/**
 * The {@code server:} section: where the service listens, the keys it takes, the largest body it reads, whether it
 * writes an access log (one line per request: method, path, status, duration, model, key id; never a key or a body),
 * and which browser origins may call it ({@code cors}, see {@link CorsConfig}; off when absent).
 */
public record ServerConfig(String host, Integer port, List<Secret> apiKeys, Long maxBodyBytes, Boolean accessLog,
                           CorsConfig cors) {
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    public ServerConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 8080 : port;
        apiKeys = apiKeys == null ? List.of() : apiKeys.stream().filter(java.util.Objects::nonNull).toList();
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        accessLog = accessLog != null && accessLog;
        cors = cors == null ? CorsConfig.off() : cors;
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null);
    }

    public ServerConfig withListen(String newHost, Integer newPort) {
        return new ServerConfig(newHost == null ? host : newHost, newPort == null ? port : newPort, apiKeys, maxBodyBytes,
                accessLog, cors);
    }
}
