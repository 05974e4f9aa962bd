package dev.switchboard.local.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file's header: its metadata and tensor table, without the weights. Metadata values are {@link Long} (every
 * integer type), {@link Double}, {@link Boolean}, {@link String} or {@link Array} (length and element type only:
 * vocabularies run to hundreds of thousands of entries and nothing here needs them).
 */
public record GgufFile(int version, Map<String, Object> metadata, List<Tensor> tensors, long dataOffset, long fileSize) {

    public GgufFile {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** An array value: what it holds and how many. */
    public record Array(GgufValueType elementType, long length) {}

    /** One tensor's table entry; {@code dims} in ggml order (ne0 first), {@code type} null when unknown here. */
    public record Tensor(String name, long[] dims, long typeId, GgmlType type, long offset) {
        public long elements() {
            long n = 1;
            for (long d : dims) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        /** Bytes of data, or -1 for a type this table does not know. */
        public long bytes() {
            return type == null ? -1 : Math.multiplyExact(elements() / type.blockSize, (long) type.blockBytes);
        }
    }

    public Optional<String> string(String key) {
        return metadata.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public Optional<Long> integer(String key) {
        return metadata.get(key) instanceof Long l ? Optional.of(l) : Optional.empty();
    }

    public String architecture() {
        return string("general.architecture").orElse("unknown");
    }

    public Optional<String> name() {
        return string("general.name");
    }

    /** An {@code <architecture>.<key>} hyperparameter, such as {@code context_length} or {@code block_count}. */
    public Optional<Long> hyperparameter(String key) {
        return integer(architecture() + "." + key);
    }

    public Optional<Integer> contextLength() {
        return hyperparameter("context_length").filter(v -> v > 0 && v <= Integer.MAX_VALUE).map(Long::intValue);
    }

    public Optional<String> chatTemplate() {
        return string("tokenizer.chat_template").filter(s -> !s.isBlank());
    }

    /** {@code general.parameter_count} when the file states it, else the elements of every tensor added up. */
    public long parameterCount() {
        Optional<Long> stated = integer("general.parameter_count").filter(v -> v > 0);
        if (stated.isPresent()) {
            return stated.get();
        }
        long n = 0;
        for (Tensor t : tensors) {
            n += t.elements(); // the reader checked that the sum fits
        }
        return n;
    }

    /** The quantization: {@code general.file_type}, else named after the type holding most of the weights. */
    public Optional<FileType> fileType() {
        Optional<Long> id = integer("general.file_type");
        if (id.isPresent()) {
            FileType known = FileType.of(id.get());
            if (known != null) {
                return Optional.of(known);
            }
        }
        Map<GgmlType, Long> byType = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (t.type() != null) {
                byType.merge(t.type(), t.elements(), Long::sum);
            }
        }
        return byType.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> FileType.dominant(e.getKey()));
    }

    /** Bytes of weight data the tensor table describes, or -1 when a tensor's type is unknown here. */
    public long tensorBytes() {
        long n = 0;
        try {
            for (Tensor t : tensors) {
                long b = t.bytes();
                if (b < 0) {
                    return -1;
                }
                n = Math.addExact(n, b);
            }
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        return n;
    }
}
