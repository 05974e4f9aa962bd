package dev.switchboard.config;

import dev.switchboard.model.ProviderType;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Range and consistency checks the types alone cannot express. The first problem found stops the start. */
final class ConfigValidator {
    private ConfigValidator() {}

    static void validate(SwitchboardConfig config, String source) {
        ModelManagementConfig mm = config.modelManagement();
        String mmPath = "model_management.";
        positive(source, mmPath + "cache_ttl_seconds", mm.cacheTtlSeconds());
        positive(source, mmPath + "health_check_interval_seconds", mm.healthCheckIntervalSeconds());
        positive(source, mmPath + "cleanup_interval_minutes", mm.cleanupIntervalMinutes());
        between(source, mmPath + "max_gpu_memory_percent", mm.maxGpuMemoryPercent(), 0, 100);

        Set<String> instanceNames = new HashSet<>(mm.providers().keySet());
        for (Map.Entry<String, ProviderConfig> e : mm.providers().entrySet()) {
            String p = mmPath + "providers." + e.getKey();
            ProviderConfig pc = e.getValue();
            if (pc == null) {
                throw new ConfigException(source + ": " + p + ": expected a mapping of provider settings, got nothing");
            }
            kindOf(source, p, e.getKey(), pc);
            if (pc.apiBase() != null) {
                url(source, p + ".api_base", pc.apiBase());
            }
            port(source, p + ".ollama_port", pc.ollamaPort());
            keepAlive(source, p + ".keep_alive", pc.keepAlive());
            if (pc.dockerImage() != null && pc.dockerImage().isBlank()) {
                fail(source, p + ".docker_image", "", "an image reference such as ollama/ollama:latest");
            }
            positive(source, p + ".max_concurrent_models", pc.maxConcurrentModels());
            between(source, p + ".gpu_memory_fraction", pc.gpuMemoryFraction(), 0, 1);
            nonNegative(source, p + ".compute_cost_per_token", pc.computeCostPerToken());
            between(source, p + ".rate_limit_buffer", pc.rateLimitBuffer(), 0, 1);
            positive(source, p + ".connect_timeout_seconds", pc.connectTimeoutSeconds());
            positive(source, p + ".request_timeout_seconds", pc.requestTimeoutSeconds());
            for (Map.Entry<String, CustomEndpointConfig> c : pc.customProviders().entrySet()) {
                String cp = p + ".custom_providers." + c.getKey();
                CustomEndpointConfig cc = c.getValue();
                if (cc == null) {
                    throw new ConfigException(source + ": " + cp + ": expected a mapping with base_url, got nothing");
                }
                if (!cc.apiType().equals("openai") && !cc.apiType().equals("anthropic")) {
                    throw new ConfigException(source + ": " + cp + ".api_type: '" + cc.apiType()
                            + "' is not supported, expected openai or anthropic");
                }
                if (cc.baseUrl() == null) {
                    throw new ConfigException(source + ": " + cp + ".base_url: is required, expected an http(s) URL");
                }
                url(source, cp + ".base_url", cc.baseUrl());
                positive(source, cp + ".connect_timeout_seconds", cc.connectTimeoutSeconds());
                positive(source, cp + ".request_timeout_seconds", cc.requestTimeoutSeconds());
                positive(source, cp + ".max_tokens", cc.maxTokens());
                if (!instanceNames.add(c.getKey())) {
                    throw new ConfigException(source + ": " + cp + ": the name '" + c.getKey()
                            + "' is already used by another provider; provider names must be unique");
                }
                if (c.getKey().contains(":")) {
                    throw new ConfigException(source + ": " + cp + ": provider names may not contain ':'");
                }
            }
        }
        for (Map.Entry<String, ModelConfig> e : mm.models().entrySet()) {
            String p = mmPath + "models." + e.getKey();
            ModelConfig m = e.getValue();
            if (m == null) {
                continue;
            }
            between(source, p + ".therapeutic_safety_score", m.therapeuticSafetyScore(), 0, 10);
            between(source, p + ".performance_score", m.performanceScore(), 0, 10);
            nonNegative(source, p + ".cost_per_token", m.costPerToken());
            positive(source, p + ".context_length", m.contextLength());
        }
        SelectionStrategyConfig s = mm.selectionStrategy();
        String sp = mmPath + "selection_strategy.";
        nonNegative(source, sp + "therapeutic_safety_weight", s.therapeuticSafetyWeight());
        nonNegative(source, sp + "performance_weight", s.performanceWeight());
        nonNegative(source, sp + "cost_weight", s.costWeight());
        between(source, sp + "min_therapeutic_safety_score", s.minTherapeuticSafetyScore(), 0, 10);
        FallbackConfig f = mm.fallbackConfig();
        String fp = mmPath + "fallback_config.";
        if (f.maxRetries() < 0) {
            fail(source, fp + "max_retries", f.maxRetries(), "a whole number of 0 or more");
        }
        nonNegative(source, fp + "retry_delay_seconds", f.retryDelaySeconds());

        monitoring(source, mm);

        ServerConfig server = config.server();
        if (server.port() < 0 || server.port() > 65535) {
            fail(source, "server.port", server.port(), "a port between 0 and 65535");
        }
        if (server.maxBodyBytes() < 1024) {
            fail(source, "server.max_body_bytes", server.maxBodyBytes(), "at least 1024 bytes");
        }
    }

    private static void monitoring(String source, ModelManagementConfig mm) {
        MonitoringConfig m = mm.monitoring();
        String mp = "model_management.monitoring.";
        Set<String> seen = new HashSet<>();
        for (String store : m.stores()) {
            if (store == null || !MonitoringConfig.STORE_KINDS.contains(store)) {
                fail(source, mp + "stores", store, "one of " + String.join(", ", MonitoringConfig.STORE_KINDS));
            }
            if (!seen.add(store)) {
                fail(source, mp + "stores", store, "each store once");
            }
        }
        positive(source, mp + "retention_days", m.retentionDays());
        positive(source, mp + "buffer_size", m.bufferSize());
        positive(source, mp + "max_metrics_per_model", m.maxMetricsPerModel());
        positive(source, mp + "history_window_minutes", m.historyWindowMinutes());
        positive(source, mp + "batch_size", m.batchSize());
        if (!mm.sharedState().equals("local") && !mm.sharedState().equals("redis")) {
            fail(source, "model_management.shared_state", mm.sharedState(), "local or redis");
        }
        if (m.stores().contains("redis") || mm.sharedState().equals("redis")) {
            String url = m.redisUrl().reveal();
            if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
                fail(source, mp + "redis_url", MonitoringConfig.withoutUserInfo(url), "a redis:// or rediss:// URL");
            }
        }
        if (m.stores().contains("neo4j")) {
            String uri = m.neo4j().uri();
            if (!uri.matches("(bolt|neo4j)(\\+s|\\+ssc)?://.+")) {
                fail(source, mp + "neo4j.uri", MonitoringConfig.withoutUserInfo(uri), "a bolt:// or neo4j:// URI");
            }
        }
    }

    static ProviderType kindOf(String source, String path, String key, ProviderConfig pc) {
        String declared = pc.providerType() != null ? pc.providerType() : key;
        try {
            return ProviderType.fromWire(declared);
        } catch (IllegalArgumentException e) {
            String what = pc.providerType() != null ? path + ".provider_type" : path;
            throw new ConfigException(source + ": " + what + ": '" + declared + "' is not a provider kind; name the section "
                    + "after one (local, openrouter, ollama, lm_studio, custom_api) or set provider_type");
        }
    }

    private static void url(String source, String path, String value) {
        try {
            URI uri = URI.create(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                fail(source, path, value, "an http:// or https:// URL with a host");
            }
        } catch (IllegalArgumentException e) {
            fail(source, path, value, "an http:// or https:// URL");
        }
    }

    /** Ollama's keep_alive: seconds ({@code 300}, {@code -1}) or a Go duration ({@code 5m}, {@code 1h30m}, {@code -1m}). */
    private static final java.util.regex.Pattern KEEP_ALIVE =
            java.util.regex.Pattern.compile("-?(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+)");

    private static void keepAlive(String source, String path, String value) {
        if (value != null && !KEEP_ALIVE.matcher(value.strip()).matches()) {
            fail(source, path, value, "a number of seconds or a duration such as 5m, 1h or -1 (negative: forever)");
        }
    }

    private static void port(String source, String path, Integer value) {
        if (value != null && (value < 1 || value > 65535)) {
            fail(source, path, value, "a port between 1 and 65535");
        }
    }

    private static void positive(String source, String path, Number value) {
        if (value != null && value.doubleValue() <= 0) {
            fail(source, path, value, "a number greater than 0");
        }
    }

    private static void nonNegative(String source, String path, Number value) {
        if (value != null && value.doubleValue() < 0) {
            fail(source, path, value, "a number of 0 or more");
        }
    }

    private static void between(String source, String path, Number value, double lo, double hi) {
        if (value != null && (value.doubleValue() < lo || value.doubleValue() > hi)) {
            fail(source, path, value, "a number between " + trim(lo) + " and " + trim(hi));
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static void fail(String source, String path, Object value, String expected) {
        throw new ConfigException(source + ": " + path + ": '" + value + "' is not valid, expected " + expected);
    }
}
