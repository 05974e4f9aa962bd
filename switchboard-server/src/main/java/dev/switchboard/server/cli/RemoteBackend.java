package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Message;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.TokenSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Talks to a running Switchboard through its REST API. */
final class RemoteBackend implements Backend {
    private final URI base;
    private final String apiKey;
    private final HttpClient http;

    RemoteBackend(String url, String apiKey) {
        try {
            this.base = URI.create(url.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid --url '" + url + "': " + e.getMessage());
        }
        if (base.getScheme() == null || base.getHost() == null) {
            throw new CliException("invalid --url '" + url + "': expected http://host:port");
        }
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public List<ModelInfo> models(boolean freeOnly, String provider) {
        String q = "?free_only=" + freeOnly + (provider == null ? "" : "&provider=" + URLEncoder.encode(provider, StandardCharsets.UTF_8));
        JsonNode body = getJson("/api/v1/models" + q);
        List<ModelInfo> out = new ArrayList<>();
        for (JsonNode m : body.path("models")) {
            out.add(Json.mapper().convertValue(m, ModelInfo.class));
        }
        return out;
    }

    @Override
    public JsonNode status() {
        return getJson("/api/v1/models/status");
    }

    @Override
    public JsonNode system() {
        return getJson("/api/v1/models/system");
    }

    @Override
    public JsonNode recommendations(String taskType) {
        return getJson("/api/v1/models/recommendations/details?task_type=" + URLEncoder.encode(taskType, StandardCharsets.UTF_8));
    }

    @Override
    public ChatResponse generate(ChatRequest request, TokenSink sink) {
        ObjectNode body = Json.mapper().createObjectNode();
        List<Message> msgs = request.messages();
        body.set("messages", Json.mapper().valueToTree(msgs.stream()
                .map(m -> java.util.Map.of("role", m.role().wire(), "content", m.text())).toList()));
        if (request.model() != null) {
            body.put("model_id", request.model());
        }
        body.put("task_type", request.taskType().wire());
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        body.put("stream", request.stream());
        HttpRequest req = request("/api/v1/models/generate")
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))).build();
        HttpResponse<InputStream> resp = send(req);
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new CliException(errorMessage(resp.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            String type = resp.headers().firstValue("content-type").orElse("");
            if (!type.startsWith("text/event-stream")) {
                ChatResponse r = Json.mapper().readValue(in, dev.switchboard.server.api.GenerateResponse.class).toChatResponse();
                sink.token(r.text());
                return r;
            }
            return readEvents(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), sink);
        } catch (IOException e) {
            throw new CliException("connection to " + base + " broke while reading the answer: " + e.getMessage());
        }
    }

    private static ChatResponse readEvents(BufferedReader reader, TokenSink sink) throws IOException {
        String event = "message";
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                JsonNode data = Json.mapper().readTree(line.substring(5).strip());
                switch (event) {
                    case "token" -> sink.token(data.path("text").asText());
                    case "done" -> {
                        return Json.mapper().treeToValue(data, dev.switchboard.server.api.GenerateResponse.class).toChatResponse();
                    }
                    case "error" -> throw new CliException(data.path("detail").asText("the model failed mid-answer"));
                    default -> { }
                }
            } else if (line.isEmpty()) {
                event = "message";
            }
        }
        throw new CliException("the stream ended before the answer was complete");
    }

    @Override
    public void pull(String provider, String model, dev.switchboard.provider.PullProgress progress) {
        HttpRequest req = request("/api/v1/models/pull/" + segment(provider) + "/" + segment(model))
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> resp = send(req);
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new CliException(errorMessage(resp.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String event = "message";
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    JsonNode data = Json.mapper().readTree(line.substring(5).strip());
                    switch (event) {
                        case "progress" -> progress.update(new dev.switchboard.provider.PullProgress.Update(
                                data.path("status").asText(), text(data, "digest"), number(data, "total"), number(data, "completed")));
                        case "done" -> {
                            return;
                        }
                        case "error" -> throw new CliException(data.path("detail").asText("the pull failed"));
                        default -> { }
                    }
                } else if (line.isEmpty()) {
                    event = "message";
                }
            }
            throw new CliException("the pull ended before it was complete");
        } catch (IOException e) {
            throw new CliException("connection to " + base + " broke during the pull: " + e.getMessage());
        }
    }

    @Override
    public boolean delete(String provider, String model) {
        HttpResponse<InputStream> resp = send(request("/api/v1/models/" + segment(provider) + "/" + segment(model)).DELETE().build());
        try (InputStream in = resp.body()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (resp.statusCode() == 404) {
                return false;
            }
            if (resp.statusCode() != 200) {
                throw new CliException(errorMessage(resp.statusCode(), text));
            }
            return true;
        } catch (IOException e) {
            throw new CliException("unreadable answer from " + base + ": " + e.getMessage());
        }
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static Long number(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asLong() : null;
    }

    private JsonNode getJson(String path) {
        HttpResponse<InputStream> resp = send(request(path).GET().build());
        try (InputStream in = resp.body()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (resp.statusCode() != 200) {
                throw new CliException(errorMessage(resp.statusCode(), text));
            }
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new CliException("unreadable answer from " + base + ": " + e.getMessage());
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
        if (apiKey != null && !apiKey.isBlank()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    private HttpResponse<InputStream> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new CliException.Unreachable("cannot reach Switchboard at " + base + " (is 'switchboard serve' running? use --url or --config)");
        } catch (IOException e) {
            throw new CliException("request to " + base + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private static String errorMessage(int status, String body) {
        String detail = body;
        try {
            JsonNode n = Json.mapper().readTree(body);
            if (n.has("detail")) {
                detail = n.get("detail").asText();
            } else if (n.path("error").has("message")) {
                detail = n.path("error").path("message").asText();
            }
        } catch (IOException ignored) {
            // not JSON: show it as it is
        }
        return "server answered " + status + ": " + detail.strip();
    }

    @Override
    public void close() {
        http.close();
    }
}
