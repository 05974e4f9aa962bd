package dev.switchboard.neo4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.switchboard.config.MonitoringConfig;
import dev.switchboard.config.MonitoringConfig.Neo4jConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.monitor.MetricsStore;
import dev.switchboard.monitor.MetricsStoreFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neo4j.driver.exceptions.ServiceUnavailableException;

/**
 * Opening the store, and a store with no Neo4j behind it: no server needed. Opening tries the schema once and
 * carries on when nothing answers.
 */
class Neo4jMetricsStoreFactoryTest {
    private static final String PASSWORD = "hunter2-s3cret";

    @Test
    void theMonitorFindsTheFactoryByItsKind() {
        assertThat(ServiceLoader.load(MetricsStoreFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.kind().equals("neo4j")).toList())
                .singleElement().isInstanceOf(Neo4jMetricsStoreFactory.class);
    }

    @Test
    void opensWhileNoNeo4jIsThere() {
        try (MetricsStore store = open("bolt://127.0.0.1:1")) {
            assertThat(store.name()).isEqualTo("neo4j");
        }
        try (MetricsStore store = open("neo4j+s://graph.example.invalid")) {
            assertThat(store.name()).isEqualTo("neo4j");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://neo4j:hunter2-s3cret@localhost:7474", "bolt://neo4j:hunter2-s3cret@",
            "not a uri hunter2-s3cret", "localhost:7687", "bolt:hunter2-s3cret", "",
            "bolt://neo4j:hunter2-s3cret@localhost:7687", "neo4j+s://hunter2-s3cret@graph.example.com",
            "bolt://localhost:7687?password=hunter2-s3cret"})
    void aBadUriIsAConfigurationErrorThatShowsNoPassword(String uri) {
        assertThatThrownBy(() -> open(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("monitoring.neo4j.uri")
                .hasMessageNotContaining(PASSWORD)
                .hasNoCause();
    }

    /** The production timeouts against a closed port are covered by the early store of {@link Neo4jMetricsStoreTest}. */
    @Test
    void aWriteToAPortWhereNothingListensFails() throws Exception {
        try (MetricsStore store = Neo4jMetricsStoreFactory.openStore(new Neo4jConfig("bolt://127.0.0.1:" + closedPort(),
                "neo4j", Secret.of(PASSWORD), null), Duration.ZERO, Neo4jMetricsStoreFactory.CONNECT_TIMEOUT)) {
            assertThatThrownBy(() -> store.write(List.of(Records.attempt(Instant.now(), "r1", "openrouter", "gpt-4o",
                    "success")))).isInstanceOf(ServiceUnavailableException.class).hasMessageNotContaining(PASSWORD);
            assertThatThrownBy(() -> store.scan(null, Instant.EPOCH, r -> {}))
                    .isInstanceOf(ServiceUnavailableException.class);
        }
    }

    /**
     * A port that takes the connection and never answers the Bolt handshake (a hung server, a wrong service): the
     * connection timeout ends the wait, for the open's schema attempt and for the write. The JUnit timeout is only
     * there to turn a hang into a failure; it is far above the one-second connection timeout used here.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServerThatNeverAnswersFailsTheWriteAfterTheConnectionTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             MetricsStore store = Neo4jMetricsStoreFactory.openStore(new Neo4jConfig("bolt://127.0.0.1:"
                     + silent.getLocalPort(), "neo4j", Secret.of(PASSWORD), null), Duration.ZERO, Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> store.write(List.of(Records.attempt(Instant.now(), "r1", "openrouter", "gpt-4o",
                    "success")))).isInstanceOf(ServiceUnavailableException.class).hasMessageNotContaining(PASSWORD);
        }
    }

    /**
     * While Neo4j is down the monitor reports the outage once; the driver's retry logic would add a warning with a
     * stack trace per retry of every write. They stay in the log at DEBUG.
     */
    @Test
    void theDriversRetriesLogAtDebugNotWarn() throws Exception {
        List<ILoggingEvent> events = LogCapture.capture(() -> {
            try (MetricsStore store = Neo4jMetricsStoreFactory.openStore(new Neo4jConfig("bolt://127.0.0.1:"
                    + closedPort(), "neo4j", Secret.of(PASSWORD), null), Duration.ofMillis(500),
                    Neo4jMetricsStoreFactory.CONNECT_TIMEOUT)) {
                assertThatThrownBy(() -> store.write(List.of(Records.attempt(Instant.now(), "r1", "openrouter",
                        "gpt-4o", "success")))).isInstanceOf(ServiceUnavailableException.class);
            }
        });
        List<ILoggingEvent> driver = events.stream().filter(e -> e.getLoggerName().startsWith("org.neo4j.driver")).toList();
        assertThat(driver).as("the driver retried, and said so")
                .anyMatch(e -> e.getLevel() == Level.DEBUG && e.getFormattedMessage().contains("will be retried"));
        assertThat(driver).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(events).allMatch(e -> !e.getFormattedMessage().contains(PASSWORD));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static MetricsStore open(String uri) {
        MonitoringConfig config = new MonitoringConfig(List.of("neo4j"), null, null, null, null, null,
                new Neo4jConfig(uri, "neo4j", Secret.of(PASSWORD), null), null, null);
        return new Neo4jMetricsStoreFactory().open(config, Path.of("unused"), Map.of());
    }
}
