package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Pages served from an origin of their own, for browser tests of cross-origin calls to Switchboard, the way the
 * seed's frontend (on its own dev server) calls it.
 *
 * <p>One loopback server answers as two origins: {@code http://localhost:PORT} and {@code http://127.0.0.1:PORT}, so
 * a test can list one in {@code server.cors.allowed_origins} and load the same page from the other. A page on
 * {@code localhost} and Switchboard on {@code localhost} are the same <em>site</em> (ports do not count), so a
 * cookie Switchboard sets with {@code SameSite=Lax} travels on the page's {@code credentials: 'include'} calls.
 *
 * <p>A page's script is the body of an async function with two helpers: {@code report(name, value)} records a value
 * (in {@code window.results} and as a line on the page, for the screenshot), and {@code await attempt(name, fn)}
 * records what the async {@code fn} returns, or {@code {error, message}} when it throws (a call the browser refused
 * for CORS throws a {@code TypeError}). {@link #open} waits until the script has finished and returns the results.
 */
final class CrossOriginPage implements AutoCloseable {
    private static final String SHELL = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Cross-origin caller</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em} li{margin:.4em 0;font-family:monospace;overflow-wrap:anywhere}</style>
            </head><body>
            <h1>Cross-origin caller</h1>
            <p>This page: <b id="origin"></b></p>
            <ol id="results"></ol>
            <script>
            window.results = {};
            document.getElementById('origin').textContent = location.origin;
            function report(name, value) {
              window.results[name] = value;
              const li = document.createElement('li');
              li.dataset.name = name;
              li.textContent = name + ': ' + JSON.stringify(value);
              document.getElementById('results').append(li);
            }
            async function attempt(name, fn) {
              try { report(name, await fn()); } catch (e) { report(name, {error: e.name, message: e.message}); }
            }
            (async () => {
            %s
            })().catch(e => report('script', {error: e.name, message: e.message}))
              .finally(() => document.body.dataset.done = 'true');
            </script>
            </body></html>
            """;

    private final HttpServer server;
    private final Map<String, byte[]> pages = new ConcurrentHashMap<>();

    private CrossOriginPage(HttpServer server) {
        this.server = server;
    }

    /** A page server on a free loopback port, serving nothing yet. */
    static CrossOriginPage start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            CrossOriginPage page = new CrossOriginPage(server);
            server.createContext("/", exchange -> {
                byte[] body = page.pages.get(exchange.getRequestURI().getPath());
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                if (body == null) {
                    body = "no page here".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(404, body.length);
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                }
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves at {@code path} a page that runs {@code script} (an async function body; see the class comment). */
    CrossOriginPage script(String path, String script) {
        pages.put(path, SHELL.formatted(script).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** This server as seen from {@code host}: {@code localhost} and {@code 127.0.0.1} are two origins. */
    String origin(String host) {
        return "http://" + host + ":" + port();
    }

    /** Loads the page at {@code path} from {@code host}'s origin, waits until its script is done, and returns its results. */
    JsonNode open(WebDriver driver, String host, String path) {
        driver.get(origin(host) + path);
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-done", "true"));
        return results(driver);
    }

    /** What the open page's script reported so far ({@code window.results}). */
    static JsonNode results(WebDriver driver) {
        Object json = ((JavascriptExecutor) driver).executeScript("return JSON.stringify(window.results || {});");
        try {
            return Json.mapper().readTree(String.valueOf(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs more script in the open page: an async function body whose {@code return} value (JSON-able) comes back, or
     * {@code {error, message}} when it throws. For a step that depends on the one before, such as a second call once
     * a cookie is set.
     */
    static JsonNode run(WebDriver driver, String asyncBody) {
        Object json = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => { %s })()
                  .then(v => done(JSON.stringify(v === undefined ? null : v)))
                  .catch(e => done(JSON.stringify({error: e.name, message: e.message})));
                """.formatted(asyncBody));
        try {
            return Json.mapper().readTree(String.valueOf(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}, as the dashboard tests do. */
    static void screenshot(WebDriver driver, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
