package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NotBlank;
import net.jqwik.api.constraints.StringLength;

/** {@code ${VAR}} and {@code ${VAR:-default}} in any string value, with any value in the environment. */
class ConfigSubstitutionProperties {

    private static String defaultModel(String yamlValue, Map<String, String> env) {
        String yaml = "model_management:\n  default_model: '" + yamlValue + "'\n";
        return ConfigLoader.parse(yaml, "prop.yaml", env).config().modelManagement().defaultModel();
    }

    @Property
    void aVariableIsReplacedByItsExactValue(@ForAll @NotBlank String value) {
        assertThat(defaultModel("${MODEL}", Map.of("MODEL", value))).isEqualTo(value);
    }

    @Property
    void valuesAreNotExpandedAgain(@ForAll @AlphaChars @StringLength(min = 1, max = 10) String name) {
        String value = "${OTHER}$1\\" + name;
        assertThat(defaultModel("pre-${MODEL}-post", Map.of("MODEL", value, "OTHER", "no")))
                .isEqualTo("pre-" + value + "-post");
    }

    @Property
    void theDefaultAppliesOnlyWhenTheVariableIsUnsetOrEmpty(
            @ForAll @AlphaChars @StringLength(min = 1, max = 20) String fallback,
            @ForAll @NotBlank String value) {
        String yaml = "${MODEL:-" + fallback + "}";
        assertThat(defaultModel(yaml, Map.of())).isEqualTo(fallback);
        assertThat(defaultModel(yaml, Map.of("MODEL", ""))).isEqualTo(fallback);
        assertThat(defaultModel(yaml, Map.of("MODEL", value))).isEqualTo(value);
    }

    @Property
    void textAroundReferencesIsKept(
            @ForAll @AlphaChars @StringLength(max = 8) String before,
            @ForAll @AlphaChars @StringLength(max = 8) String after,
            @ForAll @AlphaChars @StringLength(min = 1, max = 8) String host) {
        assertThat(defaultModel(before + "${H}:${P:-80}" + after, Map.of("H", host)))
                .isEqualTo(before + host + ":80" + after);
    }
}
