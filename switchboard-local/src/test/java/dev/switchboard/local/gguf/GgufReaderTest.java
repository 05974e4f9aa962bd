package dev.switchboard.local.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.local.DemoModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufReaderTest {

    @Test
    void readsTheDemoModelsHeader(@TempDir Path dir) throws Exception {
        Path file = DemoModel.writeTo(dir);
        GgufFile g = GgufReader.read(file);

        assertThat(g.version()).isEqualTo(3);
        assertThat(g.architecture()).isEqualTo("llama");
        assertThat(g.name()).hasValue("switchboard-demo");
        assertThat(g.contextLength()).hasValue(4096);
        assertThat(g.hyperparameter("block_count")).hasValue(2L);
        assertThat(g.hyperparameter("embedding_length")).hasValue(64L);
        assertThat(g.fileType()).hasValue(FileType.F32);
        assertThat(g.chatTemplate()).isEmpty();
        assertThat(g.metadata().get("tokenizer.ggml.tokens")).isEqualTo(new GgufFile.Array(GgufValueType.STRING, 260));
        assertThat(g.metadata().get("llama.attention.layer_norm_rms_epsilon")).isEqualTo((double) 1e-5f);
        assertThat(g.metadata().get("tokenizer.ggml.add_bos_token")).isEqualTo(true);
        assertThat(g.tensors()).hasSize(21);
        assertThat(g.tensors().getFirst().name()).isEqualTo("token_embd.weight");
        assertThat(g.tensors().getFirst().dims()).containsExactly(64, 260);
        // no general.parameter_count in the file: the tensors' elements, counted
        assertThat(g.parameterCount()).isEqualTo(2 * 260 * 64 + 64 + 2 * (2 * 64 + 4 * 64 * 64 + 3 * 64 * 128));
        assertThat(g.tensorBytes()).isEqualTo(4 * g.parameterCount());
        assertThat(g.dataOffset() % 32).isZero();
        assertThat(g.dataOffset() + g.tensorBytes()).isEqualTo(Files.size(file));
        assertThat(Files.size(file)).isBetween(450_000L, 500_000L);
    }

    @Test
    void statedParameterCountTemplateAndFileTypeWin() throws Exception {
        byte[] bytes = new GgufWriter()
                .string("general.architecture", "qwen2")
                .u64("general.parameter_count", 7_615_616_512L)
                .u32("general.file_type", 15)
                .u32("qwen2.context_length", 32768)
                .string("tokenizer.chat_template", "{{ messages }}")
                .toBytes();
        GgufFile g = GgufReader.read(bytes);
        assertThat(g.architecture()).isEqualTo("qwen2");
        assertThat(g.parameterCount()).isEqualTo(7_615_616_512L);
        assertThat(g.fileType()).hasValueSatisfying(t -> assertThat(t.name()).isEqualTo("Q4_K_M"));
        assertThat(g.contextLength()).hasValue(32768);
        assertThat(g.chatTemplate()).hasValue("{{ messages }}");
        assertThat(g.tensors()).isEmpty();
    }

    @Test
    void everyTruncationIsAFormatError() throws Exception {
        byte[] full = DemoModel.bytes();
        GgufFile complete = GgufReader.read(full);
        int headerEnd = (int) complete.dataOffset();
        for (int len = 0; len < headerEnd - 32; len += 97) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThatThrownBy(() -> GgufReader.read(cut)).isInstanceOf(GgufFormatException.class);
        }
    }

    @Test
    void hugeDeclaredLengthsAreRefusedWithoutAllocating() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(GgufReader.MAGIC).putInt(3).putLong(0).putLong(1);
        b.putLong(Long.MAX_VALUE); // key length
        assertThatThrownBy(() -> GgufReader.read(b.array()))
                .isInstanceOf(GgufFormatException.class).hasMessageContaining("string length");

        ByteBuffer c = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        c.putInt(GgufReader.MAGIC).putInt(3).putLong(-1L).putLong(0);
        assertThatThrownBy(() -> GgufReader.read(c.array()))
                .isInstanceOf(GgufFormatException.class).hasMessageContaining("tensor count");
    }

    @Test
    void rejectsOtherFilesClearly(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> GgufReader.read("PK\u0003\u0004 this is a zip file, not a model".getBytes()))
                .isInstanceOf(GgufFormatException.class).hasMessageContaining("not a GGUF file");
        ByteBuffer v = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putInt(GgufReader.MAGIC).putInt(1);
        assertThatThrownBy(() -> GgufReader.read(v.array()))
                .isInstanceOf(GgufFormatException.class).hasMessageContaining("version 1");
        Path empty = Files.createFile(dir.resolve("empty.gguf"));
        assertThatThrownBy(() -> GgufReader.read(empty)).isInstanceOf(GgufFormatException.class);
    }
}
