package dev.switchboard.provider.lmstudio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.json.Json;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.provider.lmstudio.LmStudioWire.NativeModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** LM Studio's model list, whatever it contains, maps to an honest, free catalog entry. */
class LmStudioMapperProperties {

    @Provide
    Arbitrary<NativeModel> natives() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.isBlank());
        Arbitrary<String> types = Arbitraries.oneOf(Arbitraries.of("llm", "vlm", "embeddings", "LLM"),
                Arbitraries.strings().alpha().ofMaxLength(8)).injectNull(0.1);
        Arbitrary<String> states = Arbitraries.of("loaded", "not-loaded", "loading").injectNull(0.1);
        Arbitrary<String> words = Arbitraries.oneOf(Arbitraries.strings().withCharRange(' ', '~').withChars('é', '你')
                .ofMaxLength(12), Arbitraries.just(" ")).injectNull(0.2);
        Arbitrary<Integer> contexts = Arbitraries.integers().between(-1, 2_000_000).injectNull(0.1);
        return Combinators.combine(ids, types, words, words, Arbitraries.of("gguf", "mlx"), words, states, contexts)
                .as((id, type, publisher, arch, format, quant, state, ctx) ->
                        new NativeModel(id, "model", type, publisher, arch, format, quant, state, ctx, null));
    }

    @Property
    void everyLocalModelIsFreeAndItsStateAndContextAreKeptAsReported(@ForAll("natives") NativeModel m) {
        ModelInfo info = LmStudioMapper.fromNative(m, ProviderType.LM_STUDIO, "lm_studio");

        assertThat(info.modelId()).isEqualTo(m.id());
        assertThat(info.isFree()).isTrue();
        assertThat(info.costPerToken()).isZero();
        assertThat(info.loaded()).isEqualTo("loaded".equals(m.state()) ? Boolean.TRUE
                : "not-loaded".equals(m.state()) ? Boolean.FALSE : null);
        if (m.maxContextLength() != null && m.maxContextLength() > 0) {
            assertThat(info.contextLength()).isEqualTo(m.maxContextLength());
        } else {
            assertThat(info.contextLength()).isNull();
        }
    }

    @Property
    void capabilitiesFollowTheTypeAndEmbeddingModelsNeverChat(@ForAll("natives") NativeModel m) {
        List<String> caps = LmStudioMapper.fromNative(m, ProviderType.LM_STUDIO, "lm_studio").capabilities();

        String type = m.type() == null ? "" : m.type().toLowerCase(java.util.Locale.ROOT);
        assertThat(caps.contains("chat")).isEqualTo(type.equals("llm") || type.equals("vlm"));
        assertThat(caps.contains("vision")).isEqualTo(type.equals("vlm"));
        assertThat(caps.contains("embeddings")).isEqualTo(type.equals("embeddings"));
    }

    @Property
    void detailsHoldOnlyWhatLmStudioSaid(@ForAll("natives") NativeModel m) {
        Map<String, String> details = LmStudioMapper.fromNative(m, ProviderType.LM_STUDIO, "lm_studio").details();

        assertThat(details.keySet()).isSubsetOf(Set.of("type", "publisher", "arch", "compatibility_type", "quantization"));
        assertThat(details.values()).allSatisfy(v -> assertThat(v).isNotBlank());
        if (m.quantization() != null && !m.quantization().isBlank()) {
            assertThat(details).containsEntry("quantization", m.quantization());
        }
        assertThat(details).containsEntry("compatibility_type", m.compatibilityType());
    }

    @Property
    void theWireListParsesBackToWhatLmStudioSent(@ForAll("natives") NativeModel m) throws Exception {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", m.id());
        entry.put("object", "model");
        entry.put("type", m.type());
        entry.put("publisher", m.publisher());
        entry.put("arch", m.arch());
        entry.put("compatibility_type", m.compatibilityType());
        entry.put("quantization", m.quantization());
        entry.put("state", m.state());
        entry.put("max_context_length", m.maxContextLength());
        byte[] body = Json.bytes(Map.of("object", "list", "data", List.of(entry)));

        LmStudioWire.ModelList parsed = Json.mapper().readValue(body, LmStudioWire.ModelList.class);

        assertThat(parsed.data()).containsExactly(m);
    }

    @Property
    void readyFirstKeepsEveryModelAndOrdersLoadedChatThenChatThenTheRest(@ForAll("lists") List<NativeModel> list) {
        List<ModelInfo> models = list.stream().map(n -> LmStudioMapper.fromNative(n, ProviderType.LM_STUDIO, "lm")).toList();

        List<ModelInfo> ordered = LmStudioMapper.readyFirst(models);

        assertThat(ordered).containsExactlyInAnyOrderElementsOf(models);
        for (int i = 1; i < ordered.size(); i++) {
            assertThat(rank(ordered.get(i - 1))).isLessThanOrEqualTo(rank(ordered.get(i)));
            if (rank(ordered.get(i - 1)) == rank(ordered.get(i))) {
                assertThat(models.indexOf(ordered.get(i - 1))).as("LM Studio's order within a group")
                        .isLessThan(models.indexOf(ordered.get(i)));
            }
        }
    }

    @Provide
    Arbitrary<List<NativeModel>> lists() {
        return natives().list().ofMaxSize(12).uniqueElements(NativeModel::id);
    }

    private static int rank(ModelInfo m) {
        return !m.capabilities().contains("chat") ? 2 : Boolean.TRUE.equals(m.loaded()) ? 0 : 1;
    }

    @Property
    void theServerRootIsFoundWithOrWithoutV1(@ForAll("hosts") String root, @ForAll("suffixes") String suffix) {
        assertThat(LmStudioProvider.serverRoot(root + suffix)).isEqualTo(root);
    }

    @Provide
    Arbitrary<String> hosts() {
        return Combinators.combine(Arbitraries.of("http", "https"), Arbitraries.of("localhost", "127.0.0.1", "lmstudio.lan"),
                        Arbitraries.integers().between(1, 65535), Arbitraries.of("", "/lmstudio", "/a/b"))
                .as((scheme, host, port, path) -> scheme + "://" + host + ":" + port + path);
    }

    @Provide
    Arbitrary<String> suffixes() {
        return Arbitraries.of("", "/", "//", "/v1", "/v1/", "/v1//", "  ");
    }

    @Property
    void withoutApiV0EmbeddingModelsAreKeptOutOfChat(@ForAll("natives") NativeModel m) {
        ModelInfo listed = ModelInfo.builder(m.id(), ProviderType.LM_STUDIO, "lm_studio").build();

        ModelInfo info = LmStudioMapper.fromOpenAiList(listed);

        assertThat(info.loaded()).isNull();
        assertThat(info.isFree()).isTrue();
        assertThat(info.costPerToken()).isZero();
        boolean embedding = m.id().toLowerCase(java.util.Locale.ROOT).contains("embed");
        assertThat(info.capabilities()).containsExactly(embedding ? "embeddings" : "chat");
    }
}
