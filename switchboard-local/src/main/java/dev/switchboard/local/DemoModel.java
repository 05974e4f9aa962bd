package dev.switchboard.local;

import dev.switchboard.local.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The built-in demo model: a 470 KB llama-architecture GGUF whose weights are built, not trained, so that greedy
 * decoding predicts the next byte. Its continuation of {@code abc} is {@code defghijklm}. It proves that loading,
 * tokenizing, generating and streaming work on a machine without downloading anything; it cannot chat.
 * <p>
 * 260 tokens ({@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte tokens, {@code ▁}); n_embd 64, 2 layers, 4 heads,
 * FFN 128; all F32. The context is declared as 4096 (the recipe's 128 works as well: llama's RoPE has no learned
 * positions) so that API defaults such as the seed's {@code max_tokens: 2048} fit; its KV cache is 2 MB. Every token's embedding is a random unit vector, the output row of byte b+1 is 4×
 * the embedding of byte b, so the residual stream of byte b scores b+1 highest; attention and FFN weights are small
 * noise that leaves that intact. The seed is fixed and Java's float arithmetic is exact, so every run writes the
 * same bytes, and the file's SHA-256 is a constant the provider can trust without configuration.
 */
public final class DemoModel {
    public static final String MODEL_ID = "switchboard-demo";
    public static final String FILE_NAME = MODEL_ID + ".gguf";
    static final long SEED = 20240607L;

    static final int N_EMBD = 64;
    static final int N_LAYER = 2;
    static final int N_HEAD = 4;
    static final int N_FF = 128;
    static final int N_CTX = 4096;
    static final int N_VOCAB = 260;
    static final int FIRST_BYTE = 3;
    static final int SPACE = 259;

    private static volatile String sha256;

    private DemoModel() {}

    /** Writes the demo model to {@code dir/switchboard-demo.gguf} and returns its path. */
    public static Path writeTo(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        writer().write(file);
        return file;
    }

    public static byte[] bytes() {
        return writer().toBytes();
    }

    /** The SHA-256 of the demo file, hex: what a file named {@code switchboard-demo.gguf} is pinned to by default. */
    public static String sha256() {
        String s = sha256;
        if (s == null) {
            try {
                s = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            sha256 = s;
        }
        return s;
    }

    /** Writes the demo model unless {@code dir} already holds a GGUF file; returns the file written, or null. */
    public static Path writeIfNoModels(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                if (files.anyMatch(p -> p.getFileName().toString().endsWith(".gguf"))) {
                    return null;
                }
            }
        }
        return writeTo(dir);
    }

    static GgufWriter writer() {
        Random rnd = new Random(SEED);
        List<String> tokens = new ArrayList<>(N_VOCAB);
        float[] scores = new float[N_VOCAB];
        int[] types = new int[N_VOCAB];
        tokens.add("<unk>");
        types[0] = 2; // UNKNOWN
        tokens.add("<s>");
        types[1] = 3; // CONTROL
        tokens.add("</s>");
        types[2] = 3;
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types[FIRST_BYTE + b] = 6; // BYTE
        }
        tokens.add("\u2581");
        types[SPACE] = 1; // NORMAL

        float[] embd = new float[N_VOCAB * N_EMBD];
        for (int t = 0; t < N_VOCAB; t++) {
            double norm = 0;
            for (int i = 0; i < N_EMBD; i++) {
                float v = (float) rnd.nextGaussian();
                embd[t * N_EMBD + i] = v;
                norm += (double) v * v;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < N_EMBD; i++) {
                embd[t * N_EMBD + i] *= inv;
            }
        }
        float[] output = noise(rnd, N_VOCAB * N_EMBD, 0.01);
        for (int b = 0; b < 255; b++) {
            int from = (FIRST_BYTE + b) * N_EMBD;
            int to = (FIRST_BYTE + b + 1) * N_EMBD;
            for (int i = 0; i < N_EMBD; i++) {
                output[to + i] = 4 * embd[from + i];
            }
        }
        for (int i = 0; i < N_EMBD; i++) {
            double mean = 0;
            for (int t = 0; t < N_VOCAB; t++) {
                mean += embd[t * N_EMBD + i];
            }
            output[2 * N_EMBD + i] = (float) (-mean / N_VOCAB);
        }

        GgufWriter w = new GgufWriter()
                .string("general.architecture", "llama")
                .string("general.name", MODEL_ID)
                .string("general.description", "Switchboard's demo model: continues byte sequences (abc -> defghijklm). Proves the setup; cannot chat.")
                .u32("general.alignment", GgufWriter.DEFAULT_ALIGNMENT)
                .u32("general.file_type", 0)
                .u32("llama.context_length", N_CTX)
                .u32("llama.embedding_length", N_EMBD)
                .u32("llama.block_count", N_LAYER)
                .u32("llama.feed_forward_length", N_FF)
                .u32("llama.attention.head_count", N_HEAD)
                .u32("llama.attention.head_count_kv", N_HEAD)
                .u32("llama.rope.dimension_count", N_EMBD / N_HEAD)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .u32("llama.vocab_size", N_VOCAB)
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", tokens)
                .floats("tokenizer.ggml.scores", scores)
                .ints("tokenizer.ggml.token_type", types)
                .u32("tokenizer.ggml.bos_token_id", 1)
                .u32("tokenizer.ggml.eos_token_id", 2)
                .u32("tokenizer.ggml.unknown_token_id", 0)
                .bool("tokenizer.ggml.add_bos_token", true)
                .bool("tokenizer.ggml.add_eos_token", false);

        long[] vocabMatrix = {N_EMBD, N_VOCAB};
        w.tensor("token_embd.weight", vocabMatrix, embd);
        w.tensor("output_norm.weight", new long[] {N_EMBD}, ones(N_EMBD));
        w.tensor("output.weight", vocabMatrix, output);
        for (int l = 0; l < N_LAYER; l++) {
            String p = "blk." + l + ".";
            w.tensor(p + "attn_norm.weight", new long[] {N_EMBD}, ones(N_EMBD));
            for (String m : new String[] {"attn_q", "attn_k", "attn_v", "attn_output"}) {
                w.tensor(p + m + ".weight", new long[] {N_EMBD, N_EMBD}, noise(rnd, N_EMBD * N_EMBD, 0.02));
            }
            w.tensor(p + "ffn_norm.weight", new long[] {N_EMBD}, ones(N_EMBD));
            w.tensor(p + "ffn_gate.weight", new long[] {N_EMBD, N_FF}, noise(rnd, N_EMBD * N_FF, 0.02));
            w.tensor(p + "ffn_up.weight", new long[] {N_EMBD, N_FF}, noise(rnd, N_EMBD * N_FF, 0.02));
            w.tensor(p + "ffn_down.weight", new long[] {N_FF, N_EMBD}, noise(rnd, N_FF * N_EMBD, 0.02));
        }
        return w;
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    private static float[] noise(Random rnd, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * sigma);
        }
        return a;
    }
}
