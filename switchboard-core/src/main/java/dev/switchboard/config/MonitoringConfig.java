package dev.switchboard.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code model_management.monitoring}: where attempt metrics go ({@code stores}: sqlite, redis, neo4j; several at
 * once), how long they are kept, how many may wait in memory per store while a store is down, and how far back the
 * selector's history looks. {@code SWITCHBOARD_HOME} overrides {@code data_dir}.
 */
public record MonitoringConfig(
        List<String> stores,
        String dataDir,
        Integer retentionDays,
        Integer bufferSize,
        Secret redisUrl,
        Integer maxMetricsPerModel,
        Neo4jConfig neo4j,
        Integer historyWindowMinutes,
        Integer batchSize) {

    public static final List<String> STORE_KINDS = List.of("sqlite", "redis", "neo4j");
    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

    public MonitoringConfig {
        stores = stores == null ? List.of("sqlite") : List.copyOf(stores);
        dataDir = dataDir == null || dataDir.isBlank() ? "~/.switchboard" : dataDir;
        retentionDays = retentionDays == null ? 30 : retentionDays;
        bufferSize = bufferSize == null ? 100_000 : bufferSize;
        redisUrl = redisUrl == null ? Secret.of(DEFAULT_REDIS_URL) : redisUrl;
        maxMetricsPerModel = maxMetricsPerModel == null ? 1000 : maxMetricsPerModel;
        neo4j = neo4j == null ? Neo4jConfig.defaults() : neo4j;
        historyWindowMinutes = historyWindowMinutes == null ? 60 : historyWindowMinutes;
        batchSize = batchSize == null ? 500 : batchSize;
    }

    public static MonitoringConfig defaults() {
        return new MonitoringConfig(null, null, null, null, null, null, null, null, null);
    }

    /** The data directory: {@code SWITCHBOARD_HOME} when set, else {@code data_dir} with {@code ~} expanded. */
    public Path dataDir(Map<String, String> env) {
        String home = env.get("SWITCHBOARD_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        if (dataDir.equals("~") || dataDir.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), dataDir.length() > 2 ? dataDir.substring(2) : "");
        }
        return Path.of(dataDir);
    }

    /** The Redis URL with any password removed, for status pages and logs. */
    public String redisUrlForDisplay() {
        return withoutUserInfo(redisUrl.reveal());
    }

    /**
     * The URL without {@code user:password@}. Text that does not parse as a URL but still holds an {@code @} is
     * hidden whole: it may be credentials in a shape the parser did not recognise.
     */
    static String withoutUserInfo(String url) {
        String s = url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1");
        return s.contains("@") ? "[hidden: the URL contains '@']" : s;
    }

    /** {@code monitoring.neo4j}: the Bolt URI and credentials of the graph store. */
    public record Neo4jConfig(String uri, String user, Secret password, String database) {
        public Neo4jConfig {
            uri = uri == null ? "bolt://127.0.0.1:7687" : uri;
            user = user == null ? "neo4j" : user;
        }

        public static Neo4jConfig defaults() {
            return new Neo4jConfig(null, null, null, null);
        }
    }
}
