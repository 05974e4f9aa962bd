package dev.switchboard.local;

import dev.switchboard.hardware.ModelRequirements;
import dev.switchboard.local.gguf.FileType;
import dev.switchboard.local.gguf.GgufFile;
import java.nio.file.Path;

/**
 * One {@code *.gguf} file in the models directory and what its header says. The model id is the file name without
 * {@code .gguf}. {@code contextSize} is the window it is loaded with: its trained context, capped so a 128k-context
 * model does not reserve a KV cache for 128k tokens by default.
 */
record ModelFile(String modelId, Path path, long size, long modified, GgufFile header, int contextSize) {

    static final double GIB = 1024.0 * 1024 * 1024;
    /** What llama.cpp needs beyond weights and KV cache: compute buffers, the runtime itself. */
    static final double RUNTIME_GB = 0.25;

    static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".gguf".length());
    }

    String quantization() {
        return header.fileType().map(FileType::name).orElse("unknown");
    }

    long layers() {
        return header.hyperparameter("block_count").filter(n -> n > 0).orElse(1L);
    }

    /**
     * RAM (and VRAM for full offload): the parameters at the file type's bits per weight (the tensor table's exact
     * size when the file type is unknown, the file size last), 10% for buffers, the f16 KV cache for the context,
     * and the runtime.
     */
    ModelRequirements requirements() {
        double weights;
        var fileType = header.fileType();
        if (fileType.isPresent() && header.parameterCount() > 0) {
            weights = header.parameterCount() * fileType.get().bitsPerWeight() / 8;
        } else if (header.tensorBytes() > 0) {
            weights = header.tensorBytes();
        } else {
            weights = size;
        }
        long embd = header.hyperparameter("embedding_length").orElse(0L);
        long heads = header.hyperparameter("attention.head_count").filter(h -> h > 0).orElse(1L);
        long kvHeads = header.hyperparameter("attention.head_count_kv").filter(h -> h > 0).orElse(heads);
        double kvEmbd = (double) embd * kvHeads / heads;
        double kv = 2.0 * layers() * contextSize * kvEmbd * 2; // K and V, f16
        double gb = (weights * 1.1 + kv) / GIB + RUNTIME_GB;
        double rounded = Math.ceil(gb * 100) / 100;
        return new ModelRequirements(rounded, rounded, "gguf");
    }
}
