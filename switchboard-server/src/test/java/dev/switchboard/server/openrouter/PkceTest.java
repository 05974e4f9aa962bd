package dev.switchboard.server.openrouter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 7636's S256: the example of its appendix B, and verifiers of the recommended length and alphabet. */
class PkceTest {
    @Test
    void theRfcsExampleChallenge() {
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void verifiersAre43UnreservedCharactersAndNeverRepeat() {
        String a = Pkce.verifier();
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Pkce.verifier()).isNotEqualTo(a);
    }
}
