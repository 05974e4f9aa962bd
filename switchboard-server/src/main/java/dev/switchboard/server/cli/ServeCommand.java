package dev.switchboard.server.cli;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.manager.ProviderRegistry;
import dev.switchboard.server.SwitchboardServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Switchboard service: the REST API, the OpenAI-compatible API and the health loop.")
final class ServeCommand implements Callable<Integer>, ClientOptions.EnvAware {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $SWITCHBOARD_CONFIG, ./switchboard.yaml, ~/.switchboard/config.yaml, or none: then the local models directory is served).")
    Path config;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: server.host or 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: server.port or 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--insecure-no-auth", description = "Allow listening on a non-loopback address without API keys.")
    boolean insecureNoAuth;

    private Map<String, String> env = System.getenv();
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void env(Map<String, String> e) {
        this.env = e;
    }

    @Override
    public Integer call() throws InterruptedException {
        SwitchboardConfig.Loaded loaded = ConfigLoader.locateAndLoad(config, env, LocalDefaults.ZERO_CONFIG);
        log.info("configuration: {}", loaded.source());
        loaded.warnings().forEach(w -> log.warn("configuration: {}", w));
        ServerConfig server = loaded.config().server().withListen(host, port);
        if (server.port() < 0 || server.port() > 65535) {
            throw new CliException("--port must be between 0 and 65535, got " + server.port());
        }
        if (server.apiKeys().isEmpty() && !isLoopback(server.host()) && !insecureNoAuth) {
            throw new CliException("refusing to listen on " + server.host() + " without API keys: set server.api_keys "
                    + "in the configuration, or pass --insecure-no-auth if the network is trusted");
        }
        for (java.nio.file.Path demo : LocalDefaults.writeDemoWhereEmpty(loaded.config().modelManagement(), env)) {
            log.info("no local models yet: wrote the demo model {} (it only continues byte sequences; ask "
                    + "local:switchboard-demo to continue 'abc')", demo);
        }
        ModelManager manager = ModelManager.builder(loaded.config().modelManagement()).env(env)
                .meterRegistry(SwitchboardServer.newMeterRegistry()).build();
        manager.start();
        SwitchboardServer http;
        try {
            http = new SwitchboardServer(manager, server).start();
        } catch (RuntimeException e) {
            manager.stop();
            throw new CliException("cannot listen on " + server.host() + ":" + server.port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            http.close();
            manager.stop();
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new CliException("cannot resolve --host '" + host + "'");
        }
    }
}
