package dev.switchboard.server;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.server.api.ModelsApi;
import dev.switchboard.server.http.AccessLog;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.Auth;
import dev.switchboard.server.http.Cors;
import dev.switchboard.server.http.ErrorWriter;
import dev.switchboard.server.http.JsonErrorHandler;
import dev.switchboard.server.openai.OpenAiApi;
import dev.switchboard.server.openrouter.OpenRouterAuthApi;
import dev.switchboard.server.session.Callers;
import dev.switchboard.server.session.SecretBox;
import dev.switchboard.server.session.Sessions;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP service: the seed's REST API, the OpenAI-compatible API and auth, on Javalin with virtual threads. */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);

    private final ModelManager manager;
    private final ServerConfig config;
    private final Javalin app;
    private final PrometheusMeterRegistry prometheus;

    public SwitchboardServer(ModelManager manager, ServerConfig config) {
        this.manager = manager;
        this.config = config;
        this.prometheus = prometheusFor(manager.meterRegistry());
        Auth auth = new Auth(config.apiKeys());
        Sessions sessions = new Sessions(manager::expiringState,
                () -> SecretBox.open(manager.env(), manager.dataDir()), manager.clock());
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.http.generateEtags = false;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.jsonMapper(new SwitchboardJsonMapper());
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            // The dashboard: static files from the jar at /, its libraries from WebJars at /webjars.
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
            });
            cfg.staticFiles.enableWebjars();

            if (config.accessLog()) {
                cfg.requestLogger.http(AccessLog::write);
            }
            if (config.cors().enabled()) {
                // First: a preflight is answered before auth (it carries no key), and the allow headers are set before
                // anything can fail, so error answers carry them too.
                cfg.routes.before(new Cors(config.cors())::handle);
            }
            cfg.routes.before(auth::check);
            cfg.routes.before(ctx -> Callers.attach(ctx, sessions));
            new ModelsApi(manager, config.maxBodyBytes()).register(cfg.routes);
            new OpenRouterAuthApi(manager, sessions, config.maxBodyBytes()).register(cfg.routes);
            new OpenAiApi(manager, config.maxBodyBytes()).register(cfg.routes);
            new dev.switchboard.server.api.PerformanceApi(manager, config.maxBodyBytes()).register(cfg.routes);
            new dev.switchboard.server.api.AnalyticsApi(manager, config.maxBodyBytes()).register(cfg.routes);
            cfg.routes.get("/metrics", this::metrics);

            cfg.routes.exception(Auth.Unauthorized.class, (e, ctx) ->
                    ErrorWriter.write(ctx, ApiError.of(401, "authentication_error", "invalid_api_key", e.getMessage())));
            cfg.routes.exception(Exception.class, SwitchboardServer::handle);
            // Javalin and Jetty answer some requests themselves (no route, wrong method, body too large) with
            // plain text; give those the caller's JSON error shape too.
            for (int status : new int[] {400, 404, 405, 413, 414, 415, 431, 500, 503}) {
                cfg.routes.error(status, ctx -> {
                    if (!ErrorWriter.written(ctx)) {
                        ErrorWriter.write(ctx, statusPage(ctx, status, config.maxBodyBytes()));
                    }
                });
            }
        });
    }

    /**
     * The registry {@code /metrics} scrapes: the manager's own when it is a Prometheus one, else a Prometheus
     * registry added to the manager's composite (which copies every meter, present and future, into it).
     */
    /**
     * The meter registry to build a served manager with: Prometheus in it from the start, so the manager's meters
     * register there directly (adding it later makes Micrometer warn that earlier recordings are lost).
     */
    public static MeterRegistry newMeterRegistry() {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        return composite;
    }

    private static PrometheusMeterRegistry prometheusFor(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return p;
        }
        if (registry instanceof CompositeMeterRegistry c) {
            for (MeterRegistry r : c.getRegistries()) {
                if (r instanceof PrometheusMeterRegistry p) {
                    return p;
                }
            }
            PrometheusMeterRegistry p = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            c.add(p);
            return p;
        }
        return null;
    }

    /** Prometheus text format; cooldown gauges are brought up to date first. */
    private void metrics(Context ctx) {
        if (prometheus == null) {
            ErrorWriter.write(ctx, ApiError.of(404, "invalid_request_error", "metrics_unavailable",
                    "the embedding application's meter registry is not a Prometheus registry"));
            return;
        }
        manager.diagnostics().refreshGauges();
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
        ctx.result(prometheus.scrape());
    }

    private static void handle(Exception e, Context ctx) {
        ApiError error = ApiError.from(e);
        if (error.status() >= 500 && error.code().equals("internal_error")) {
            log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
        } else if (error.status() >= 500) {
            log.warn("{} {} -> {}: {}", ctx.method(), ctx.path(), error.status(), error.message());
        }
        ErrorWriter.write(ctx, error);
    }

    private static ApiError statusPage(Context ctx, int status, long maxBodyBytes) {
        return switch (status) {
            case 404 -> ApiError.of(404, "invalid_request_error", "unknown_url", "no route for " + ctx.method() + " " + ctx.path());
            case 405 -> ApiError.of(405, "invalid_request_error", "method_not_allowed",
                    "method " + ctx.method() + " is not allowed on " + ctx.path());
            case 413 -> ApiError.of(413, "invalid_request_error", "request_too_large",
                    "request body is larger than the limit of " + maxBodyBytes + " bytes");
            default -> ApiError.of(status, status >= 500 ? "api_error" : "invalid_request_error", null,
                    ctx.result() == null || ctx.result().isBlank() ? "HTTP " + status : ctx.result());
        };
    }

    public SwitchboardServer start() {
        app.start();
        log.info("switchboard listening on http://{}:{} (auth {}, CORS {})", config.host(), app.port(),
                config.apiKeys().isEmpty() ? "off" : "on, " + config.apiKeys().size() + " key(s)",
                config.cors().enabled() ? "for " + String.join(", ", config.cors().allowedOrigins()) : "off");
        return this;
    }

    public int port() {
        return app.port();
    }

    public ModelManager manager() {
        return manager;
    }

    @Override
    public void close() {
        app.stop();
    }

    /** Javalin's JSON goes through the one Switchboard mapper. */
    private static final class SwitchboardJsonMapper implements JsonMapper {
        @Override
        public String toJsonString(Object obj, Type type) {
            return Json.string(obj);
        }

        @Override
        public <T> T fromJsonString(String json, Type type) {
            try {
                return Json.mapper().readValue(json, Json.mapper().constructType(type));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public <T> T fromJsonStream(InputStream json, Type type) {
            try {
                return Json.mapper().readValue(json, Json.mapper().constructType(type));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
