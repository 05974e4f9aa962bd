package dev.switchboard.local;

import dev.switchboard.model.ModelFailure;
import dev.switchboard.provider.LoadProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seed's revision trust applied to model files: {@code trusted_model_revisions} pins a model id to the SHA-256
 * of its file, and {@code require_revision_pinning} refuses files without a pin. The demo model is pinned to its
 * own (deterministic) hash. Hashes are kept per path, size and modification time, so a file is read once.
 */
final class RevisionPins {
    private final String name;
    private final Map<String, String> pinned;
    private final boolean requirePinning;
    private final Map<String, String> hashes = new ConcurrentHashMap<>();

    RevisionPins(String providerName, Map<String, String> configured, boolean requirePinning) {
        this.name = providerName;
        this.pinned = normalized(configured);
        this.requirePinning = requirePinning;
    }

    private static Map<String, String> normalized(Map<String, String> configured) {
        Map<String, String> out = new LinkedHashMap<>();
        configured.forEach((model, hash) -> {
            String id = model.endsWith(".gguf") ? model.substring(0, model.length() - 5) : model;
            String h = hash == null ? "" : hash.strip().toLowerCase(Locale.ROOT);
            out.put(id, h.startsWith("sha256:") ? h.substring(7) : h);
        });
        return Map.copyOf(out);
    }

    /** SHA-256 pinning: a configured pin must match; without one, {@code require_revision_pinning} refuses the file. */
    void verify(ModelFile f, LoadProgress progress) {
        String expected = pinned.get(f.modelId());
        if (expected == null && f.modelId().equals(DemoModel.MODEL_ID)) {
            expected = DemoModel.sha256();
        }
        if (expected == null) {
            if (requirePinning) {
                throw new ModelFailure.AuthFailed(name, f.modelId(), 0, "local model " + f.modelId() + " is not pinned and "
                        + "require_revision_pinning is on: add  " + f.modelId() + ": " + sha256(f, progress)
                        + "  under trusted_model_revisions if this file is the one you trust, or set require_revision_pinning: false");
            }
            return;
        }
        String actual = sha256(f, progress);
        if (!actual.equals(expected)) {
            throw new ModelFailure.AuthFailed(name, f.modelId(), 0, "local model " + f.modelId() + " does not match its pinned "
                    + "revision: " + f.path().getFileName() + " has SHA-256 " + actual + ", trusted_model_revisions says "
                    + expected + ". Refusing to load it.");
        }
    }

    /** The file's SHA-256, computed once per size and modification time. */
    String sha256(ModelFile f, LoadProgress progress) {
        String key = f.path() + "|" + f.size() + "|" + f.modified();
        String cached = hashes.get(key);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = Files.newInputStream(f.path())) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            long done = 0;
            long total = f.size();
            progress.update(name, f.modelId(), LoadProgress.Stage.VERIFYING, 0, total);
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                done += n;
                if ((done & ((64L << 20) - 1)) < n || done == total) {
                    progress.update(name, f.modelId(), LoadProgress.Stage.VERIFYING, done, total);
                }
            }
            String hex = HexFormat.of().formatHex(md.digest());
            hashes.put(key, hex);
            return hex;
        } catch (IOException e) {
            throw new ModelFailure.Unavailable(name, f.modelId(), 0, "cannot read " + f.path() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
