package dev.switchboard.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a GPU tool prints, parsing answers a list (possibly empty) of sane GPUs and never throws. */
class GpuToolParserProperties {

    @Property(tries = 500)
    void nvidiaSmiNeverThrows(@ForAll String output) {
        saneGpus(NvidiaSmi.parse(output));
    }

    @Property(tries = 500)
    void nvidiaSmiNeverThrowsOnCsvLikeLines(@ForAll("csvLines") String output) {
        saneGpus(NvidiaSmi.parse(output));
    }

    @Property(tries = 500)
    void rocmSmiNeverThrows(@ForAll String output) {
        saneGpus(RocmSmi.parse(output));
    }

    @Property(tries = 500)
    void rocmSmiNeverThrowsOnJsonLikeText(@ForAll("jsonish") String output) {
        saneGpus(RocmSmi.parse(output));
    }

    @Provide
    Arbitrary<String> csvLines() {
        Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.integers().between(-5, 200000).map(String::valueOf),
                Arbitraries.of("[N/A]", "[Not Supported]", "", " ", "NVIDIA GeForce RTX 4090", "1e309", "-0", "12.5",
                        "99999999999999999999"),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> line = field.list().ofMinSize(0).ofMaxSize(6).map(l -> String.join(", ", l));
        return line.list().ofMaxSize(5).map(l -> String.join("\n", l));
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.longs().map(v -> "\"" + v + "\""),
                Arbitraries.longs().map(String::valueOf), Arbitraries.of("null", "true", "[]", "{}", "\"\"", "\"x\"", "1.5"));
        Arbitrary<String> key = Arbitraries.of("VRAM Total Memory (B)", "VRAM Total Used Memory (B)", "Card series",
                "Card Series", "Device Name", "Card model", "other");
        Arbitrary<String> card = Arbitraries.maps(key, value).ofMaxSize(4).map(m -> {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
            return sb.append('}').toString();
        });
        Arbitrary<String> name = Arbitraries.of("card0", "card1", "card99999999", "system", "card-1", "CARD2", "card");
        return Arbitraries.maps(name, card).ofMaxSize(3).map(m -> {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
            return sb.append('}').toString();
        });
    }

    private static void saneGpus(List<GpuInfo> gpus) {
        assertThat(gpus).allSatisfy(g -> {
            assertThat(g.index()).isNotNegative();
            assertThat(g.name()).isNotBlank();
            assertThat(g.memoryTotalMb()).isNotNegative();
            assertThat(g.memoryFreeMb()).isGreaterThanOrEqualTo(-1);
        });
    }
}
