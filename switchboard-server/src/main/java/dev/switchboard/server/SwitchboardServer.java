package dev.switchboard.server;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.json.Json;
import dev.switchboard.manager.ModelManager;
import dev.switchboard.server.api.ModelsApi;
import dev.switchboard.server.http.ApiError;
import dev.switchboard.server.http.Auth;
import dev.switchboard.server.http.ErrorWriter;
import dev.switchboard.server.openai.OpenAiApi;
import io.javalin.Javalin;
import io.javalin.http.Context;
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

    public SwitchboardServer(ModelManager manager, ServerConfig config) {
        this.manager = manager;
        this.config = config;
        Auth auth = new Auth(config.apiKeys());
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

            cfg.routes.before(auth::check);
            new ModelsApi(manager).register(cfg.routes);
            new OpenAiApi(manager).register(cfg.routes);

            cfg.routes.exception(Auth.Unauthorized.class, (e, ctx) ->
                    ErrorWriter.write(ctx, ApiError.of(401, "authentication_error", "invalid_api_key", e.getMessage())));
            cfg.routes.exception(Exception.class, SwitchboardServer::handle);
            cfg.routes.error(404, ctx -> notFound(ctx));
            cfg.routes.error(405, ctx -> ErrorWriter.write(ctx, ApiError.of(405, "invalid_request_error", "method_not_allowed",
                    "method " + ctx.method() + " is not allowed on " + ctx.path())));
        });
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

    private static void notFound(Context ctx) {
        // Only fill in a body when no handler wrote one (an unknown route, not a handler's own 404).
        if (ctx.result() == null || ctx.result().isEmpty()) {
            ErrorWriter.write(ctx, ApiError.of(404, "invalid_request_error", "unknown_url",
                    "no route for " + ctx.method() + " " + ctx.path()));
        }
    }

    public SwitchboardServer start() {
        app.start();
        log.info("switchboard listening on http://{}:{} (auth {})", config.host(), app.port(),
                config.apiKeys().isEmpty() ? "off" : "on, " + config.apiKeys().size() + " key(s)");
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
