package dev.switchboard.state;

import dev.switchboard.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One JSON file per key under {@code <data dir>/settings/}, replaced atomically so a crash never leaves half a file. */
public final class FileSettingsStore implements SettingsStore {
    private static final Logger log = LoggerFactory.getLogger(FileSettingsStore.class);
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9._-]+");

    private final Path dir;

    public FileSettingsStore(Path dataDir) {
        this.dir = dataDir.resolve("settings");
    }

    /** {@code SWITCHBOARD_HOME}, else {@code ~/.switchboard}. */
    public static Path dataDir(Map<String, String> env) {
        String home = env.get("SWITCHBOARD_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".switchboard");
    }

    @Override
    public synchronized <T> Optional<T> get(String key, Class<T> type) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.mapper().readValue(file.toFile(), type));
        } catch (IOException e) {
            log.warn("ignoring unreadable settings file {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public synchronized void put(String key, Object value) {
        Path file = file(key);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.write(tmp, Json.bytes(value));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save settings to " + file, e);
        }
    }

    private Path file(String key) {
        if (!SAFE_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("settings key must be a simple name: " + key);
        }
        return dir.resolve(key + ".json");
    }
}
