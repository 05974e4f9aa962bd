package dev.switchboard.local.gguf;

import java.util.Map;

/**
 * llama.cpp's {@code general.file_type} (llama_ftype): the quantization a file was made with, and the average bits
 * per weight it works out to (K-quant mixes keep some tensors at higher precision, hence the fractions).
 */
public record FileType(int id, String name, double bitsPerWeight) {
    private static final Map<Integer, FileType> KNOWN = Map.ofEntries(
            e(0, "F32", 32), e(1, "F16", 16), e(2, "Q4_0", 4.5), e(3, "Q4_1", 5), e(4, "Q4_1_SOME_F16", 5),
            e(7, "Q8_0", 8.5), e(8, "Q5_0", 5.5), e(9, "Q5_1", 6), e(10, "Q2_K", 3.35), e(11, "Q3_K_S", 3.5),
            e(12, "Q3_K_M", 3.9), e(13, "Q3_K_L", 4.3), e(14, "Q4_K_S", 4.6), e(15, "Q4_K_M", 4.9),
            e(16, "Q5_K_S", 5.5), e(17, "Q5_K_M", 5.7), e(18, "Q6_K", 6.6), e(19, "IQ2_XXS", 2.1),
            e(20, "IQ2_XS", 2.3), e(21, "Q2_K_S", 2.6), e(22, "IQ3_XS", 3.3), e(23, "IQ3_XXS", 3.1),
            e(24, "IQ1_S", 1.6), e(25, "IQ4_NL", 4.5), e(26, "IQ3_S", 3.4), e(27, "IQ3_M", 3.7),
            e(28, "IQ2_S", 2.5), e(29, "IQ2_M", 2.7), e(30, "IQ4_XS", 4.3), e(31, "IQ1_M", 1.8),
            e(32, "BF16", 16), e(36, "TQ1_0", 1.7), e(37, "TQ2_0", 2.1));

    public static final FileType F32 = KNOWN.get(0);
    public static final FileType F16 = KNOWN.get(1);
    public static final FileType Q4_K_M = KNOWN.get(15);

    private static Map.Entry<Integer, FileType> e(int id, String name, double bpw) {
        return Map.entry(id, new FileType(id, name, bpw));
    }

    /** The file type with this id, or null when llama.cpp's table here does not have it. */
    public static FileType of(long id) {
        return id < 0 || id > Integer.MAX_VALUE ? null : KNOWN.get((int) id);
    }

    /** What a file whose weights are mostly of {@code type} is labelled, for files without {@code general.file_type}. */
    static FileType dominant(GgmlType type) {
        return new FileType(-1, type.name(), type.bitsPerWeight());
    }
}
