package dev.switchboard.server.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals secrets that must be stored (a user's OpenRouter key in their session) with AES-256-GCM, so the data
 * directory and Redis only ever hold ciphertext. Each sealed value is bound to where it is stored (the associated
 * data), so a ciphertext copied into another session does not open there.
 *
 * <p>The key comes from {@code SWITCHBOARD_SECRET_KEY} (32 bytes in base64, or any passphrase, which is hashed with
 * SHA-256), which every replica sharing Redis must set alike; without it, from {@code secret.key} in the data
 * directory, generated on first use and readable by its owner only.
 */
public final class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    public static final String ENV = "SWITCHBOARD_SECRET_KEY";
    static final String FILE = "secret.key";
    private static final String VERSION = "v1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key from {@value #ENV}, else the one kept in {@code dataDir}, made there on first use. */
    public static SecretBox open(Map<String, String> env, Path dataDir) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            return new SecretBox(fromText(configured.strip()));
        }
        return new SecretBox(fromFile(dataDir.resolve(FILE)));
    }

    /** 32 bytes of base64 (standard or URL-safe) are the key itself; anything else is a passphrase. */
    static byte[] fromText(String text) {
        for (Base64.Decoder d : new Base64.Decoder[] {Base64.getDecoder(), Base64.getUrlDecoder()}) {
            try {
                byte[] raw = d.decode(text);
                if (raw.length == 32) {
                    return raw;
                }
            } catch (IllegalArgumentException notBase64) {
                // try the next alphabet, then treat it as a passphrase
            }
        }
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            byte[] raw = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (raw.length != 32) {
                throw new IllegalStateException(file + " does not hold a 32-byte key; remove it to make a new one "
                        + "(sessions sealed with it are then lost) or set " + ENV);
            }
            return raw;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the session key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written to a private temporary file first, so no reader ever sees it half-written or readable by others. */
    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        Path tmp = file.resolveSibling(FILE + ".tmp-" + ProcessHandle.current().pid());
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, Base64.getEncoder().encodeToString(raw), StandardCharsets.US_ASCII);
        try {
            // A hard link appears whole and never replaces a key another process made meanwhile (a rename would).
            Files.createLink(file, tmp);
            log.info("made a new session key in {} (owner-only); set {} to share one between replicas", file, ENV);
        } catch (FileAlreadyExistsException raced) {
            // another process made it first: use theirs
        } catch (UnsupportedOperationException noLinks) {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code plain} sealed for the place {@code boundTo} names. */
    public String seal(String plain, String boundTo) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    /**
     * The value {@link #seal} sealed for {@code boundTo}; throws {@link Unsealable} when it was sealed with another
     * key, for another place, or was changed.
     */
    public String open(String sealed, String boundTo) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new Unsealable("not a sealed value");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length()));
            if (in.length <= NONCE_BYTES) {
                throw new Unsealable("too short");
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Unsealable(e.getClass().getSimpleName());
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sealed value that does not open here (another key, another place, or tampered with). */
    public static final class Unsealable extends RuntimeException {
        Unsealable(String why) {
            super("cannot open a sealed value: " + why, null, false, false);
        }
    }
}
