package dev.switchboard.provider.openrouter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.testkit.MockOpenRouterServer;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.Scale;

/** Catalog entries in, models out: prices are per token, free means both prices are zero, nothing is invented. */
class OpenRouterMapperProperties {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> PARAMETERS = List.of("tools", "tool_choice", "response_format", "structured_outputs",
            "reasoning", "include_reasoning", "logprobs", "top_logprobs", "web_search_options", "temperature", "top_p",
            "max_tokens", "stop", "seed", "frequency_penalty", "presence_penalty", "min_p", "top_k");
    private static final List<String> MODALITIES = List.of("text", "image", "audio", "file", "video");

    @Property(tries = 500)
    void aNonNegativePriceStringIsThatManyUsdPerToken(
            @ForAll @BigRange(min = "0", max = "1000") @Scale(12) BigDecimal price) {
        assertThat(OpenRouterMapper.price(price.toPlainString())).isEqualTo(price.doubleValue());
        assertThat(OpenRouterMapper.price(" " + price.toPlainString() + " ")).isEqualTo(price.doubleValue());
    }

    @Property(tries = 300)
    void aNegativePriceIsUnknown(@ForAll @BigRange(min = "-1000", max = "-0.000000000001") @Scale(12) BigDecimal price) {
        assertThat(OpenRouterMapper.price(price.toPlainString())).isNull();
    }

    @Property(tries = 500)
    void anyPriceStringIsAPriceOrUnknownNeverAnError(@ForAll String raw) {
        Double p = OpenRouterMapper.price(raw);
        if (p != null) {
            assertThat(p).isNotNegative().isNotNaN().isFinite();
        }
    }

    @Property(tries = 500)
    void freeExactlyWhenPromptAndCompletionAreZero(@ForAll("prices") String prompt, @ForAll("prices") String completion) {
        ModelInfo m = OpenRouterMapper.toModelInfo(MockOpenRouterServer.model("v/m", prompt, completion), "openrouter");
        Double p = OpenRouterMapper.price(prompt);
        Double c = OpenRouterMapper.price(completion);

        assertThat(m.isFree()).isEqualTo(p != null && c != null && p == 0 && c == 0);
        assertThat(m.promptPricePerToken()).isEqualTo(p);
        assertThat(m.completionPricePerToken()).isEqualTo(c);
        if (p != null && c != null) {
            assertThat(m.costPerToken()).isEqualTo((p + c) / 2);
        } else {
            assertThat(m.costPerToken()).as("a half-known price is no price").isNull();
        }
    }

    @Provide
    Arbitrary<String> prices() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "0.0", "0.000000", "-1", "", "free", "NaN", "1e-6", "0.000003", "0.000015"),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.ONE).ofScale(9).map(BigDecimal::toPlainString));
    }

    @Property(tries = 1000)
    void capabilitiesAreOnlyWhatTheEntryDeclares(@ForAll("entries") ObjectNode entry) {
        ModelInfo m = OpenRouterMapper.toModelInfo(entry, "openrouter");

        List<String> params = strings(entry.path("supported_parameters"));
        List<String> inputs = strings(entry.path("architecture").path("input_modalities"));
        List<String> outputs = strings(entry.path("architecture").path("output_modalities"));
        Map<String, Boolean> witness = Map.of(
                "chat", inputs.contains("text") && outputs.contains("text"),
                "vision", inputs.contains("image"),
                "audio_input", inputs.contains("audio"),
                "file_input", inputs.contains("file"),
                "video_input", inputs.contains("video"),
                "image_output", outputs.contains("image"),
                "audio_output", outputs.contains("audio"),
                "tool_calling", params.contains("tools") || params.contains("tool_choice"),
                "json_mode", params.contains("response_format"),
                "json_schema", params.contains("structured_outputs"));
        Map<String, Boolean> more = Map.of(
                "reasoning", params.contains("reasoning") || params.contains("include_reasoning"),
                "logprobs", params.contains("logprobs") || params.contains("top_logprobs"),
                "web_search", params.contains("web_search_options"));
        for (Map<String, Boolean> w : List.of(witness, more)) {
            w.forEach((cap, declared) -> assertThat(m.capabilities().contains(cap)).as(cap + " for " + entry).isEqualTo(declared));
        }
        assertThat(m.capabilities()).doesNotHaveDuplicates().allMatch(c -> witness.containsKey(c) || more.containsKey(c));
    }

    @Provide
    Arbitrary<ObjectNode> entries() {
        Arbitrary<List<String>> params = Arbitraries.of(PARAMETERS).list().ofMaxSize(8);
        Arbitrary<List<String>> modalities = Arbitraries.of(MODALITIES).list().ofMaxSize(3);
        return Combinators.combine(params, modalities, modalities).as((p, in, out) -> {
            ObjectNode e = MockOpenRouterServer.model("vendor/model", "0.000001", "0.000002");
            ArrayNode sp = e.putArray("supported_parameters");
            p.forEach(sp::add);
            ObjectNode arch = (ObjectNode) e.get("architecture");
            ArrayNode i = arch.putArray("input_modalities");
            in.forEach(i::add);
            ArrayNode o = arch.putArray("output_modalities");
            out.forEach(o::add);
            arch.put("modality", String.join("+", in) + "->" + String.join("+", out));
            return e;
        });
    }

    private static List<String> strings(JsonNode array) {
        return array.isArray() ? java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList() : List.of();
    }

    @Property(tries = 1000)
    void anyEntryMapsToItsModelOrIsSkippedNeverAnError(@ForAll("wildEntries") ObjectNode entry) {
        ModelInfo m = OpenRouterMapper.toModelInfo(entry, "openrouter");
        if (m != null) {
            assertThat(m.modelId()).isEqualTo(entry.path("id").asText());
            assertThat(m.provider()).isEqualTo("openrouter");
            assertThat(m.costPerToken()).satisfiesAnyOf(c -> assertThat(c).isNull(), c -> assertThat(c).isNotNegative());
        }
        assertThat(OpenRouterMapper.catalog(List.of(entry, F.textNode("x"), F.nullNode()), "openrouter"))
                .hasSize(m == null ? 0 : 1);
    }

    /** Real entries with one field replaced by a value of any JSON type. */
    @Provide
    Arbitrary<ObjectNode> wildEntries() {
        Arbitrary<String> fields = Arbitraries.of("id", "name", "description", "context_length", "created", "pricing",
                "architecture", "top_provider", "supported_parameters", "per_request_limits", "canonical_slug");
        Arbitrary<JsonNode> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(F::textNode),
                Arbitraries.integers().map(F::numberNode),
                Arbitraries.doubles().map(F::numberNode),
                Arbitraries.of(F.nullNode(), F.booleanNode(true), F.arrayNode(), F.objectNode()),
                Arbitraries.strings().ofMaxLength(5).map(s -> F.objectNode().put("prompt", s).put("completion", s)));
        return Combinators.combine(fields, values).as((field, value) -> {
            ObjectNode e = MockOpenRouterServer.model("vendor/model-" + field, "0.000001", "0.000002");
            e.set(field, value);
            return e;
        });
    }

    @Property(tries = 200)
    void detailsCarryModalityTokenizerAndModeration(@ForAll("tokenizers") String tokenizer, @ForAll boolean moderated) {
        ObjectNode e = MockOpenRouterServer.model("v/m", "0", "0");
        ((ObjectNode) e.get("architecture")).put("tokenizer", tokenizer);
        ((ObjectNode) e.get("top_provider")).put("is_moderated", moderated);

        ModelInfo m = OpenRouterMapper.toModelInfo(e, "openrouter");

        assertThat(m.details()).containsEntry("modality", "text->text").containsEntry("tokenizer", tokenizer)
                .containsEntry("is_moderated", Boolean.toString(moderated));
        assertThat(m.details().keySet()).isSubsetOf(Set.of("modality", "tokenizer", "is_moderated", "canonical_slug"));
    }

    @Provide
    Arbitrary<String> tokenizers() {
        return Arbitraries.of("GPT", "Claude", "Llama3", "Gemini", "Qwen", "Mistral", "Other");
    }
}
