package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.json.Json;
import dev.switchboard.testkit.MockOpenAiServer;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Ten thousand generated bad requests, over real HTTP, at every handler: each must get a 4xx with the JSON error
 * shape of its API, never a 5xx, a success or a hang. Every generated request carries at least one defect.
 */
class BadRequestProperties {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static MockOpenAiServer upstream;
    static MockOpenRouterServer openRouter;
    static java.nio.file.Path home;
    static TestService service;

    @BeforeContainer
    static void start() throws java.io.IOException {
        upstream = MockOpenAiServer.start(null, "gpt-4o-mini", "llama3.2:3b");
        openRouter = MockOpenRouterServer.start("sk-or-k", MockOpenRouterServer.model("vendor/free-one:free", "0", "0"));
        home = java.nio.file.Files.createTempDirectory("switchboard-bad-requests");
        service = TestService.start(TestService.endpointYaml("east", upstream.baseUrl(), "k") + """
                    openrouter:
                      api_key: sk-or-k
                      base_url: %s
                server:
                  max_body_bytes: 32768
                """.formatted(openRouter.baseUrl()), Map.of("SWITCHBOARD_HOME", home.toString()));
    }

    @AfterContainer
    static void stop() throws java.io.IOException {
        service.close();
        upstream.close();
        openRouter.close();
        try (var files = java.nio.file.Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** One bad request and the API whose error shape it must get back. */
    record Bad(String method, String path, byte[] body, String why) {
        boolean openAi() {
            return path.startsWith("/v1/");
        }

        @Override
        public String toString() {
            String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " [" + why + "] " + (b.length() > 300 ? b.substring(0, 300) + "…" : b);
        }
    }

    @Property(tries = 10_000)
    void everyBadRequestGetsA4xxWithAJsonErrorBody(@ForAll("badRequests") Bad bad) {
        HttpResponse<String> r = service.send(bad.method(), bad.path(), bad.body(), Map.of("Content-Type", "application/json"));
        assertThat(r.statusCode()).as(bad.toString()).isBetween(400, 499);
        assertThat(service.manager().openRouter().filter()).as("a refused change changes nothing: " + bad)
                .isEqualTo(dev.switchboard.provider.FreeModelFilter.DEFAULTS);
        JsonNode body = RestApiTest.parse(r.body());
        if (bad.openAi()) {
            assertThat(body.path("error").path("message").isTextual()).as(bad + " -> " + r.body()).isTrue();
            assertThat(body.path("error").has("type")).as(bad.toString()).isTrue();
        } else {
            assertThat(body.path("detail").isTextual()).as(bad + " -> " + r.body()).isTrue();
        }
    }

    @Provide
    Arbitrary<Bad> badRequests() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, chatWithOneDefect()),
                net.jqwik.api.Tuple.of(20, generateWithOneDefect()),
                net.jqwik.api.Tuple.of(10, garbageBodies()),
                net.jqwik.api.Tuple.of(10, badQueries()),
                net.jqwik.api.Tuple.of(10, unknownRoutes()),
                net.jqwik.api.Tuple.of(8, unknownModelsInPaths()),
                net.jqwik.api.Tuple.of(8, badFilterUpdates()),
                net.jqwik.api.Tuple.of(5, badTestBodies()),
                net.jqwik.api.Tuple.of(6, badSelections()),
                net.jqwik.api.Tuple.of(8, badAnalytics()),
                net.jqwik.api.Tuple.of(1, oversized()));
    }

    // --- /v1/chat/completions ----------------------------------------------------------------------------

    static ObjectNode validChat() {
        ObjectNode o = F.objectNode().put("model", "llama3.2:3b");
        o.putArray("messages").addObject().put("role", "user").put("content", "hello");
        return o;
    }

    Arbitrary<Bad> chatWithOneDefect() {
        return Combinators.combine(chatDefects(), Arbitraries.strings().ofMaxLength(20), Arbitraries.integers())
                .as((defect, s, i) -> {
                    ObjectNode body = validChat();
                    defect.mutate().accept(new Ctx(body, s, i));
                    return new Bad("POST", "/v1/chat/completions", Json.bytes(body), defect.name());
                });
    }

    record Ctx(ObjectNode body, String s, int i) {
        ObjectNode msg() {
            return (ObjectNode) body.get("messages").get(0);
        }
    }

    record Defect(String name, Consumer<Ctx> mutate) {}

    Arbitrary<Defect> chatDefects() {
        return Arbitraries.of(List.of(
                new Defect("no messages", c -> c.body().remove("messages")),
                new Defect("empty messages", c -> c.body().putArray("messages")),
                new Defect("messages not array", c -> c.body().put("messages", c.s())),
                new Defect("message not object", c -> ((ArrayNode) c.body().get("messages")).set(0, F.numberNode(c.i()))),
                new Defect("unknown role", c -> c.msg().put("role", "r_" + c.s())),
                new Defect("missing role", c -> c.msg().remove("role")),
                new Defect("numeric content", c -> c.msg().put("content", c.i())),
                new Defect("object content", c -> c.msg().putObject("content").put("x", c.s())),
                new Defect("null user content", c -> c.msg().putNull("content")),
                new Defect("image part", c -> c.msg().putArray("content").addObject().put("type", "image_url").put("url", c.s())),
                new Defect("untyped part", c -> c.msg().putArray("content").addObject().put("text", c.s())),
                new Defect("tool message", c -> c.msg().put("role", "tool")),
                new Defect("negative max_tokens", c -> c.body().put("max_tokens", -Math.abs((long) c.i()) - 1)),
                new Defect("zero max_tokens", c -> c.body().put("max_tokens", 0)),
                new Defect("absurd max_tokens", c -> c.body().put("max_tokens", 1_000_001L + Math.abs((long) c.i()))),
                new Defect("huge max_tokens", c -> c.body().put("max_tokens", new java.math.BigInteger("1" + "0".repeat(40)))),
                new Defect("fractional max_tokens", c -> c.body().put("max_tokens", 10.5)),
                new Defect("string max_tokens", c -> c.body().put("max_tokens", "n" + c.s())),
                new Defect("negative max_completion_tokens", c -> c.body().put("max_completion_tokens", -1 - Math.abs((long) c.i()))),
                new Defect("temperature too high", c -> c.body().put("temperature", 2.0001 + Math.abs(c.i() % 100))),
                new Defect("negative temperature", c -> c.body().put("temperature", -0.01 - Math.abs(c.i() % 100))),
                new Defect("string temperature", c -> c.body().put("temperature", "t" + c.s())),
                new Defect("top_p zero", c -> c.body().put("top_p", 0)),
                new Defect("top_p above one", c -> c.body().put("top_p", 1.0001 + Math.abs(c.i() % 10))),
                new Defect("n out of range", c -> c.body().put("n", c.i() % 2 == 0 ? 0 : 129 + Math.abs(c.i() % 100))),
                new Defect("numeric stop", c -> c.body().put("stop", c.i())),
                new Defect("stop with number", c -> c.body().putArray("stop").add("ok").add(c.i())),
                new Defect("too many stops", c -> {
                    ArrayNode a = c.body().putArray("stop");
                    for (int k = 0; k < 17; k++) {
                        a.add("s" + k);
                    }
                }),
                new Defect("empty stop", c -> c.body().putArray("stop").add("")),
                new Defect("unknown model", c -> c.body().put("model", "m-" + c.s())),
                new Defect("unknown provider prefix", c -> c.body().put("model", "nobody:" + c.s())),
                new Defect("known provider, unknown model", c -> c.body().put("model", "east:m-" + c.s())),
                new Defect("numeric model", c -> c.body().put("model", c.i())),
                new Defect("blank model", c -> c.body().put("model", " ".repeat(1 + Math.abs(c.i() % 5)))),
                new Defect("tools", c -> c.body().putArray("tools").addObject().put("type", "function")),
                new Defect("functions", c -> c.body().putArray("functions").addObject().put("name", "f" + c.s())),
                new Defect("logprobs", c -> c.body().put("logprobs", true)),
                new Defect("unknown task", c -> c.body().putObject("metadata").put("task_type", "task_" + c.s())),
                new Defect("string stream", c -> c.body().put("stream", "yes")),
                new Defect("penalty out of range", c -> c.body().put("presence_penalty", 2.5 + Math.abs(c.i() % 10))),
                new Defect("deep nesting", c -> {
                    ObjectNode n = c.body().putObject("extra");
                    for (int k = 0; k < 300; k++) {
                        n = n.putObject("n");
                    }
                })));
    }

    // --- /api/v1/models/generate -------------------------------------------------------------------------

    Arbitrary<Bad> generateWithOneDefect() {
        Arbitrary<Defect> defects = Arbitraries.of(List.of(
                new Defect("no prompt", c -> c.body().remove("prompt")),
                new Defect("empty prompt", c -> c.body().put("prompt", "")),
                new Defect("numeric prompt", c -> c.body().put("prompt", c.i())),
                new Defect("array prompt", c -> c.body().putArray("prompt").add(c.s())),
                new Defect("unknown task", c -> c.body().put("task_type", "t_" + c.s())),
                new Defect("numeric task", c -> c.body().put("task_type", c.i())),
                new Defect("negative max_tokens", c -> c.body().put("max_tokens", -1 - Math.abs((long) c.i()))),
                new Defect("absurd max_tokens", c -> c.body().put("max_tokens", 1_000_001L + Math.abs((long) c.i()))),
                new Defect("bad temperature", c -> c.body().put("temperature", 3 + Math.abs(c.i() % 100))),
                new Defect("bad top_p", c -> c.body().put("top_p", -Math.abs(c.i() % 100))),
                new Defect("bad latency", c -> c.body().put("max_latency_ms", -Math.abs((long) c.i()))),
                new Defect("bad quality", c -> c.body().put("min_quality_score", 10.5 + Math.abs(c.i() % 100))),
                new Defect("unknown model", c -> c.body().put("model_id", "m-" + c.s())),
                new Defect("bad message role", c -> c.body().putArray("messages").addObject().put("role", "r_" + c.s()).put("content", "x")),
                new Defect("message not object", c -> c.body().putArray("messages").add(c.i())),
                new Defect("string stream", c -> c.body().put("stream", "sometimes")),
                new Defect("stop not strings", c -> c.body().putArray("stop_sequences").add(c.i()))));
        return Combinators.combine(defects, Arbitraries.strings().ofMaxLength(20), Arbitraries.integers())
                .as((defect, s, i) -> {
                    ObjectNode body = F.objectNode().put("prompt", "hello");
                    defect.mutate().accept(new Ctx(body, s, i));
                    return new Bad("POST", "/api/v1/models/generate", Json.bytes(body), defect.name());
                });
    }

    // --- bodies that are not requests at all -------------------------------------------------------------

    Arbitrary<Bad> garbageBodies() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(200);
        Arbitrary<byte[]> scalars = Arbitraries.oneOf(
                Arbitraries.integers().map(i -> Integer.toString(i).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().ofMaxLength(30).map(s -> Json.bytes(s)),
                Arbitraries.just("null".getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just("[]".getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().ofMaxLength(30).map(s -> ("{\"prompt\":\"" + s).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just(new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}));
        Arbitrary<String> paths = Arbitraries.of("/v1/chat/completions", "/api/v1/models/generate", "/api/v1/models/test");
        return Combinators.combine(paths, Arbitraries.oneOf(bytes.filter(BadRequestProperties::notAnObject), scalars))
                .as((p, b) -> new Bad("POST", p, b, "garbage body"));
    }

    /** Random bytes that happen to form a JSON object with the right fields are not garbage; skip those. */
    static boolean notAnObject(byte[] b) {
        try {
            return !Json.mapper().readTree(b).isObject();
        } catch (Exception e) {
            return true;
        }
    }

    Arbitrary<Bad> badQueries() {
        Arbitrary<String> notBool = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)
                .filter(s -> !List.of("true", "false", "yes", "no", "on", "off").contains(s.toLowerCase(java.util.Locale.ROOT)));
        Arbitrary<String> notNumber = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)
                .filter(s -> !s.equalsIgnoreCase("nan") && !s.equalsIgnoreCase("infinity"));
        return Arbitraries.oneOf(
                notBool.map(v -> new Bad("GET", "/api/v1/models?free_only=" + v, null, "free_only")),
                notBool.map(v -> new Bad("GET", "/api/v1/models/available?free_only=" + v, null, "free_only")),
                notNumber.map(v -> new Bad("GET", "/api/v1/models/affordable?max_cost_per_token=" + v, null, "max_cost")),
                Arbitraries.doubles().lessThan(0).map(v -> new Bad("GET", "/api/v1/models/affordable?max_cost_per_token=" + v, null, "negative cost")),
                Arbitraries.of("NaN", "Infinity", "-Infinity").map(v -> new Bad("GET", "/api/v1/models/affordable?max_cost_per_token=" + v, null, "non-finite")),
                segment().map(p -> new Bad("GET", "/api/v1/models/free?provider=p" + p, null, "unknown provider")));
    }

    // --- /api/v1/models/openrouter/filter ----------------------------------------------------------------

    static final String FILTER = "/api/v1/models/openrouter/filter";

    Arbitrary<Bad> badFilterUpdates() {
        Arbitrary<String> notBool = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)
                .filter(s -> !List.of("true", "false", "yes", "no", "on", "off").contains(s.toLowerCase(java.util.Locale.ROOT)));
        Arbitrary<String> notNumber = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)
                .filter(s -> !s.equalsIgnoreCase("nan") && !s.equalsIgnoreCase("infinity"));
        Arbitrary<String> field = Arbitraries.of("show_free_only", "prefer_free", "prefer_free_models");
        Arbitrary<JsonNode> notBoolJson = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(F::textNode),
                Arbitraries.integers().map(F::numberNode), Arbitraries.just(F.objectNode()), Arbitraries.just(F.arrayNode()));
        Arbitrary<JsonNode> notCapJson = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(F::textNode),
                Arbitraries.doubles().lessThan(0).map(F::numberNode), Arbitraries.just(F.booleanNode(true)),
                Arbitraries.just(F.arrayNode()));
        return Arbitraries.oneOf(
                Combinators.combine(field, notBool).as((f, v) -> new Bad("POST", FILTER + "?" + f + "=" + v, new byte[0], "bad flag")),
                notNumber.map(v -> new Bad("POST", FILTER + "?max_cost_per_token=" + v, new byte[0], "cap not a number")),
                Arbitraries.doubles().lessThan(0).map(v -> new Bad("POST", FILTER + "?max_cost_per_token=" + v, new byte[0], "negative cap")),
                Arbitraries.of("NaN", "Infinity", "-Infinity").map(v -> new Bad("POST", FILTER + "?max_cost_per_token=" + v, null, "non-finite cap")),
                Arbitraries.just(new Bad("POST", FILTER, new byte[0], "nothing to change")),
                Arbitraries.of("{}", "null", "[]", "5", "\"x\"", "{\"prefer_free\":").map(b ->
                        new Bad("POST", FILTER, b.getBytes(StandardCharsets.UTF_8), "no settings in body")),
                Combinators.combine(field, notBoolJson).as((f, v) -> new Bad("POST", FILTER,
                        Json.bytes(F.objectNode().set(f, v)), "wrong type for " + f)),
                notCapJson.map(v -> new Bad("POST", FILTER, Json.bytes(F.objectNode().set("max_cost_per_token", v)), "bad cap in body")),
                segment().filter(s -> !List.of("show_free_only", "prefer_free", "prefer_free_models", "max_cost_per_token").contains(s)).map(s ->
                        new Bad("POST", FILTER, Json.bytes(F.objectNode().put("show_free_only", true).put("x" + s, true)), "unknown setting")),
                field.map(f -> new Bad("POST", FILTER + "?" + f + "=true", Json.bytes(F.objectNode().put(f, false)), "query and body disagree")),
                Arbitraries.of(true, false).map(v -> new Bad("POST", FILTER, Json.bytes(F.objectNode().put("prefer_free", v)
                        .put("prefer_free_models", !v)), "prefer_free and prefer_free_models disagree")),
                Arbitraries.of("PUT", "DELETE", "PATCH").map(m -> new Bad(m, FILTER, null, "wrong method")));
    }

    Arbitrary<Bad> unknownRoutes() {
        Arbitrary<String> methods = Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE");
        Arbitrary<String> prefixes = Arbitraries.of("/api/v1/models/x-", "/v1/x-", "/v1/chat/x-", "/x-", "/api/v2/");
        return Combinators.combine(methods, prefixes, segment()).as((m, p, s) -> new Bad(m, p + s, null, "unknown route"))
                .injectDuplicates(0.01);
    }

    Arbitrary<Bad> unknownModelsInPaths() {
        return Combinators.combine(segment(), segment(), Arbitraries.integers().between(0, 3)).as((a, b, k) -> switch (k) {
            case 0 -> new Bad("POST", "/api/v1/models/load/p" + a + "/" + b, new byte[0], "load unknown provider");
            case 1 -> new Bad("POST", "/api/v1/models/load/east/m" + a + "/" + b, new byte[0], "load unknown model");
            case 2 -> new Bad(a.length() % 2 == 0 ? "DELETE" : "POST",
                    a.length() % 2 == 0 ? "/api/v1/models/unload/m" + a : "/api/v1/models/fallback/reset/m" + a,
                    a.length() % 2 == 0 ? null : new byte[0], "unload or reset unknown");
            default -> new Bad("GET", "/v1/models/m" + a + ":" + b, null, "retrieve unknown");
        });
    }

    Arbitrary<Bad> badTestBodies() {
        return Arbitraries.of(
                new Bad("POST", "/api/v1/models/test", "{}".getBytes(StandardCharsets.UTF_8), "no model_id"),
                new Bad("POST", "/api/v1/models/test", "{\"model_id\":\"\"}".getBytes(StandardCharsets.UTF_8), "blank model_id"),
                new Bad("POST", "/api/v1/models/test", "{\"model_id\":5}".getBytes(StandardCharsets.UTF_8), "numeric model_id"),
                new Bad("POST", "/api/v1/models/test", "{\"model_id\":[\"a\"]}".getBytes(StandardCharsets.UTF_8), "array model_id"));
    }

    /** {@code POST /select} with one bad requirement. */
    Arbitrary<Bad> badSelections() {
        Arbitrary<Defect> defects = Arbitraries.of(List.of(
                new Defect("unknown task", c -> c.body().put("task_type", "t_" + c.s())),
                new Defect("numeric task", c -> c.body().put("task_type", c.i())),
                new Defect("negative latency", c -> c.body().put("max_latency_ms", -1 - Math.abs((long) c.i()))),
                new Defect("quality above 10", c -> c.body().put("min_quality_score", 10.01 + Math.abs(c.i() % 100))),
                new Defect("negative cost", c -> c.body().put("max_cost_per_token", -0.001 - Math.abs(c.i() % 100))),
                new Defect("negative context", c -> c.body().put("context_length_needed", -1 - Math.abs((long) c.i()))),
                new Defect("capabilities not a list", c -> c.body().put("required_capabilities", c.i())),
                new Defect("safety not a boolean", c -> c.body().put("therapeutic_safety_required", "yes"))));
        return Combinators.combine(defects, Arbitraries.strings().ofMaxLength(20), Arbitraries.integers())
                .as((defect, s, i) -> {
                    ObjectNode body = F.objectNode().put("task_type", "narrative_generation");
                    defect.mutate().accept(new Ctx(body, s, i));
                    return new Bad("POST", "/api/v1/models/select", Json.bytes(body), defect.name());
                });
    }

    // --- /api/v1/analytics/<kind>: the frontend's bodies with one defect, and bad limits -----------------------

    Arbitrary<Bad> badAnalytics() {
        Arbitrary<String> kinds = Arbitraries.of(List.copyOf(AnalyticsApiTest.FRONTEND_BODIES.keySet()));
        Arbitrary<JsonNode> junk = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(F::textNode),
                Arbitraries.integers().map(F::numberNode), Arbitraries.of(F.booleanNode(true), F.objectNode(), F.arrayNode()));
        return Arbitraries.oneOf(
                Arbitraries.of(AnalyticsApiTest.BAD).map(b -> analytics(b.kind(), b.change(), "listed defect: " + b.field())),
                // Any field of the frontend's body given a value of another JSON type.
                Combinators.combine(kinds, junk, Arbitraries.integers().between(0, 20)).as((k, v, i) -> analytics(k, body -> {
                    List<String> names = new java.util.ArrayList<>();
                    body.fieldNames().forEachRemaining(names::add);
                    String name = names.get(i % names.size());
                    body.set(name, v.getNodeType() != body.get(name).getNodeType() ? v : F.objectNode());
                }, "wrong type")),
                Combinators.combine(kinds, segment()).as((k, f) -> analytics(k, body -> body.put("x_" + f, 1), "unknown field")),
                Arbitraries.doubles().filter(d -> d < 1 || d > 10).map(d ->
                        analytics("model-satisfaction", body -> body.put("satisfaction_score", d), "score out of range")),
                Combinators.combine(kinds, Arbitraries.oneOf(Arbitraries.integers().filter(n -> n < 1 || n > 1000).map(String::valueOf),
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6))).as((k, q) ->
                        new Bad("GET", AnalyticsApiTest.BASE + k + "?limit=" + q, null, "bad limit")));
    }

    static Bad analytics(String kind, Consumer<ObjectNode> change, String why) {
        ObjectNode body = (ObjectNode) RestApiTest.parse(AnalyticsApiTest.FRONTEND_BODIES.get(kind));
        change.accept(body);
        return new Bad("POST", AnalyticsApiTest.BASE + kind, Json.bytes(body), why);
    }

    Arbitrary<Bad> oversized() {
        return Arbitraries.of("/v1/chat/completions", "/api/v1/models/generate").map(p -> {
            String big = "{\"prompt\":\"" + "a".repeat(40_000) + "\",\"model\":\"llama3.2:3b\",\"messages\":[]}";
            return new Bad("POST", p, big.getBytes(StandardCharsets.UTF_8), "oversized body");
        });
    }

    static Arbitrary<String> segment() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(16)
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .filter(s -> !s.contains("%2F") && !s.equals(".") && !s.equals(".."));
    }
}
