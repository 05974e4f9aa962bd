package dev.switchboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelTest {

    @Test
    void isTheSameFileEveryTime(@TempDir Path dir) throws Exception {
        Path file = DemoModel.writeTo(dir);
        assertThat(file.getFileName().toString()).isEqualTo("switchboard-demo.gguf");
        String onDisk = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(onDisk).isEqualTo(DemoModel.sha256());
        assertThat(DemoModel.bytes()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void isWrittenOnlyIntoADirectoryWithoutModels(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        assertThat(DemoModel.writeIfNoModels(models)).isEqualTo(models.resolve("switchboard-demo.gguf"));
        Files.delete(models.resolve("switchboard-demo.gguf"));
        Files.writeString(models.resolve("mine.gguf"), "x");
        assertThat(DemoModel.writeIfNoModels(models)).isNull();
        assertThat(models.resolve("switchboard-demo.gguf")).doesNotExist();
    }
}
