package dev.switchboard.provider.ollama.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Docker Engine API on a unix socket: it records every request and answers the few calls
 * the managed container makes the way dockerd does (JSON errors as {"message": ...}, a chunked NDJSON pull).
 */
final class FakeDockerEngine implements AutoCloseable {
    record Request(String method, String target, String body) {
        /** The path without the /v1.xx prefix or the query. */
        String route() {
            String p = target.replaceFirst("^/v\\d+\\.\\d+", "");
            int q = p.indexOf('?');
            return q < 0 ? p : p.substring(0, q);
        }

        Map<String, String> query() {
            Map<String, String> params = new LinkedHashMap<>();
            int q = target.indexOf('?');
            if (q < 0) {
                return params;
            }
            for (String pair : target.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return params;
        }

        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return method + " " + route();
        }
    }

    static final class Container {
        final String id;
        final String name;
        volatile String state;
        final int publishedPort;

        Container(String id, String name, String state, int publishedPort) {
            this.id = id;
            this.name = name;
            this.state = state;
            this.publishedPort = publishedPort;
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<String, Container> containers = new HashMap<>();
    final Set<String> images = new HashSet<>();
    volatile String apiVersion = "1.45";
    volatile String pullError;
    volatile int createStatus;
    volatile String createMessage;
    volatile Runnable onStart = () -> {};
    volatile int startStatus;
    volatile String startMessage;
    /** Someone else creates the container between the client's lookup and its create. */
    volatile boolean raceOnCreate;
    /** The container starts but its process exits at once with code 1. */
    volatile boolean crashOnStart;

    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    FakeDockerEngine(Path socket) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = Thread.ofPlatform().daemon().name("fake-dockerd").start(this::acceptLoop);
    }

    Path socket() {
        return socket;
    }

    synchronized void addContainer(String id, String name, String state, int publishedPort) {
        containers.put(id, new Container(id, name, state, publishedPort));
    }

    List<String> routes() {
        return requests.stream().map(Request::toString).toList();
    }

    Request only(String method, String routePrefix) {
        List<Request> hits = requests.stream()
                .filter(r -> r.method().equals(method) && r.route().startsWith(routePrefix)).toList();
        if (hits.size() != 1) {
            throw new AssertionError("expected one " + method + " " + routePrefix + " but saw " + routes());
        }
        return hits.getFirst();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Thread.ofVirtual().start(() -> serve(ch));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            InputStream in = Channels.newInputStream(ch);
            OutputStream out = Channels.newOutputStream(ch);
            String requestLine = UnixHttp.readLine(in);
            String[] parts = requestLine.split(" ");
            Map<String, String> headers = new HashMap<>();
            for (String line; !(line = UnixHttp.readLine(in)).isEmpty(); ) {
                int c = line.indexOf(':');
                headers.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            Request req = new Request(parts[0], parts[1], body);
            requests.add(req);
            handle(req, out);
        } catch (IOException | InterruptedException e) {
            // the client went away; nothing to answer
        }
    }

    private static final Pattern VERSIONED = Pattern.compile("^/v\\d+\\.\\d+/.*");
    private static final Pattern IMAGE_JSON = Pattern.compile("^/images/(.+)/json$");
    private static final Pattern CONTAINER_ACTION = Pattern.compile("^/containers/([^/]+)/(start|json)$");

    private void handle(Request req, OutputStream out) throws IOException, InterruptedException {
        String route = req.route();
        if (req.method().equals("GET") && route.equals("/_ping")) {
            respond(out, 200, "text/plain", "OK", Map.of("Api-Version", apiVersion));
            return;
        }
        if (!VERSIONED.matcher(req.target()).matches()) {
            json(out, 400, error("client must use a versioned API path"));
            return;
        }
        Matcher m;
        if (req.method().equals("GET") && route.equals("/containers/json")) {
            listContainers(req, out);
        } else if (req.method().equals("GET") && (m = IMAGE_JSON.matcher(route)).matches()) {
            if (images.contains(m.group(1))) {
                json(out, 200, Json.mapper().createObjectNode().put("Id", "sha256:abc"));
            } else {
                json(out, 404, error("No such image: " + m.group(1)));
            }
        } else if (req.method().equals("POST") && route.equals("/images/create")) {
            pull(req, out);
        } else if (req.method().equals("POST") && route.equals("/containers/create")) {
            create(req, out);
        } else if ((m = CONTAINER_ACTION.matcher(route)).matches()) {
            Container c;
            synchronized (this) {
                c = containers.get(m.group(1));
            }
            if (c == null) {
                json(out, 404, error("No such container: " + m.group(1)));
            } else if (m.group(2).equals("start") && req.method().equals("POST") && startStatus != 0) {
                json(out, startStatus, error(startMessage));
            } else if (m.group(2).equals("start") && req.method().equals("POST")) {
                boolean was = "running".equals(c.state);
                c.state = crashOnStart ? "exited" : "running";
                if (!was) {
                    onStart.run();
                }
                respond(out, was ? 304 : 204, null, "", Map.of());
            } else {
                ObjectNode inspect = Json.mapper().createObjectNode();
                inspect.putObject("State").put("Status", c.state).put("Running", "running".equals(c.state))
                        .put("ExitCode", "exited".equals(c.state) ? 1 : 0).put("Error", "");
                json(out, 200, inspect);
            }
        } else {
            json(out, 404, error("page not found"));
        }
    }

    private void listContainers(Request req, OutputStream out) throws IOException {
        JsonNode filters = Json.mapper().readTree(req.query().getOrDefault("filters", "{}"));
        List<Pattern> names = new ArrayList<>();
        filters.path("name").forEach(n -> names.add(Pattern.compile(n.asText())));
        ArrayNode list = Json.mapper().createArrayNode();
        synchronized (this) {
            for (Container c : containers.values()) {
                if (!names.isEmpty() && names.stream().noneMatch(p -> p.matcher("/" + c.name).find())) {
                    continue;
                }
                if (!"true".equals(req.query().get("all")) && !"running".equals(c.state)) {
                    continue;
                }
                ObjectNode o = list.addObject();
                o.put("Id", c.id);
                o.putArray("Names").add("/" + c.name);
                o.put("Image", "ollama/ollama:latest");
                o.put("State", c.state);
                ArrayNode ports = o.putArray("Ports");
                if (c.publishedPort > 0) {
                    ports.addObject().put("IP", "127.0.0.1").put("PrivatePort", 11434)
                            .put("PublicPort", c.publishedPort).put("Type", "tcp");
                }
            }
        }
        // dockerd answers lists with chunked transfer coding; split mid-document to exercise reassembly.
        byte[] bytes = Json.bytes(list);
        chunked(out, 200, List.of(new String(bytes, 0, bytes.length / 2, StandardCharsets.UTF_8),
                new String(bytes, bytes.length / 2, bytes.length - bytes.length / 2, StandardCharsets.UTF_8)));
    }

    private void pull(Request req, OutputStream out) throws IOException, InterruptedException {
        String image = req.query().get("fromImage") + ":" + req.query().get("tag");
        List<String> events = new ArrayList<>();
        events.add("{\"status\":\"Pulling from " + req.query().get("fromImage") + "\",\"id\":\"latest\"}\r\n");
        for (int i = 1; i <= 3; i++) {
            events.add("{\"status\":\"Downloading\",\"progressDetail\":{\"current\":" + i * 100
                    + ",\"total\":300},\"progress\":\"[==>   ]\",\"id\":\"a1b2c3\"}\r\n");
        }
        if (pullError != null) {
            events.add("{\"errorDetail\":{\"message\":\"" + pullError + "\"},\"error\":\"" + pullError + "\"}\r\n");
        } else {
            events.add("{\"status\":\"Digest: sha256:0123\"}\r\n");
            events.add("{\"status\":\"Status: Downloaded newer image for " + image + "\"}\r\n");
        }
        // Lines split across chunk boundaries, as a real stream may deliver them.
        String all = String.join("", events);
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < all.length(); i += 37) {
            chunks.add(all.substring(i, Math.min(all.length(), i + 37)));
        }
        chunkedSlowly(out, chunks);
        if (pullError == null) {
            synchronized (this) {
                images.add(image);
            }
        }
    }

    private void create(Request req, OutputStream out) throws IOException {
        if (createStatus != 0) {
            json(out, createStatus, error(createMessage));
            return;
        }
        String name = req.query().get("name");
        String image = req.json().path("Image").asText();
        synchronized (this) {
            if (raceOnCreate) {
                containers.put("theirs", new Container("theirs", name, "created", 0));
            }
            if (!images.contains(image)) {
                json(out, 404, error("No such image: " + image));
                return;
            }
            if (containers.values().stream().anyMatch(c -> c.name.equals(name))) {
                json(out, 409, error("Conflict. The container name \"/" + name + "\" is already in use"));
                return;
            }
            String id = "c0ffee" + (containers.size() + 1);
            int port = Integer.parseInt(req.json().path("HostConfig").path("PortBindings").path("11434/tcp")
                    .path(0).path("HostPort").asText("0"));
            containers.put(id, new Container(id, name, "created", port));
            ObjectNode created = Json.mapper().createObjectNode().put("Id", id);
            created.putArray("Warnings");
            json(out, 201, created);
        }
    }

    private static ObjectNode error(String message) {
        return Json.mapper().createObjectNode().put("message", message);
    }

    private static void json(OutputStream out, int status, JsonNode body) throws IOException {
        respond(out, status, "application/json", Json.string(body) + "\n", Map.of());
    }

    private static void respond(OutputStream out, int status, String contentType, String body,
                                Map<String, String> extra) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
        extra.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (status != 204 && status != 304) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("Server: Docker/27.0 (linux)\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (status != 204 && status != 304) {
            out.write(bytes);
        }
        out.flush();
    }

    private static void chunked(OutputStream out, int status, List<String> chunks) throws IOException {
        out.write(("HTTP/1.1 " + status + " OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        for (String c : chunks) {
            writeChunk(out, c);
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void chunkedSlowly(OutputStream out, List<String> chunks) throws IOException, InterruptedException {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        for (String c : chunks) {
            writeChunk(out, c);
            out.flush();
            Thread.sleep(5);
        }
        // A chunk extension and a trailer: legal, rare, and must not confuse the client.
        out.write("0;done=1\r\nX-Trailer: yes\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void writeChunk(OutputStream out, String chunk) throws IOException {
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        b.write(bytes);
        b.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.write(b.toByteArray());
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
