package dev.switchboard.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Sealing round-trips any text, and a sealed value opens nowhere else: not for another place, not under another key. */
class SecretBoxProperties {
    static final SecretBox BOX = new SecretBox(SecretBox.fromText("a passphrase for the tests"));
    static final SecretBox OTHER = new SecretBox(SecretBox.fromText("another passphrase"));

    @Property
    void whatIsSealedOpensWhereItWasSealedFor(@ForAll String plain, @ForAll String place) {
        String sealed = BOX.seal(plain, place);
        assertThat(BOX.open(sealed, place)).isEqualTo(plain);
        if (plain.length() >= 4) {
            assertThat(sealed).doesNotContain(plain);
        }
    }

    @Property
    void aSealedValueDoesNotOpenForAnotherPlaceOrUnderAnotherKey(@ForAll String plain, @ForAll String place,
                                                                  @ForAll String elsewhere) {
        Assume.that(!place.equals(elsewhere));
        String sealed = BOX.seal(plain, place);
        assertThatThrownBy(() -> BOX.open(sealed, elsewhere)).isInstanceOf(SecretBox.Unsealable.class);
        assertThatThrownBy(() -> OTHER.open(sealed, place)).isInstanceOf(SecretBox.Unsealable.class);
    }

    @Property
    void anyChangedByteIsRefused(@ForAll String plain, @ForAll int at, @ForAll byte flip) {
        Assume.that(flip != 0);
        String sealed = BOX.seal(plain, "p");
        byte[] raw = Base64.getUrlDecoder().decode(sealed.substring(3));
        raw[Math.floorMod(at, raw.length)] ^= flip;
        String changed = sealed.substring(0, 3) + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThatThrownBy(() -> BOX.open(changed, "p")).isInstanceOf(SecretBox.Unsealable.class);
    }

    @Example
    void thirtyTwoBytesOfBase64AreTheKeyItselfAndAnythingElseAPassphrase() {
        byte[] raw = new byte[32];
        raw[0] = 7;
        assertThat(SecretBox.fromText(Base64.getEncoder().encodeToString(raw))).isEqualTo(raw);
        assertThat(SecretBox.fromText(Base64.getUrlEncoder().withoutPadding().encodeToString(raw))).isEqualTo(raw);
        assertThat(SecretBox.fromText("short")).hasSize(32).isNotEqualTo(SecretBox.fromText("shorT"));
    }

    @Example
    void withoutTheEnvironmentsKeyOneIsMadeInTheDataDirectoryForItsOwnerOnlyAndKept() throws Exception {
        Path dir = Files.createTempDirectory("secret-box");
        SecretBox first = SecretBox.open(Map.of(), dir);
        Path file = dir.resolve(SecretBox.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String sealed = first.seal("sk-or-v1-kept", "s");
        assertThat(SecretBox.open(Map.of(), dir).open(sealed, "s")).isEqualTo("sk-or-v1-kept");
        assertThat(Files.readString(file)).doesNotContain("sk-or");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(SecretBox.FILE);
        }
        assertThatThrownBy(() -> SecretBox.open(Map.of(SecretBox.ENV, "set"), dir).open(sealed, "s"))
                .isInstanceOf(SecretBox.Unsealable.class);
    }
}
