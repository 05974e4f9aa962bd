package dev.switchboard.hardware;

import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a model needs, best source first:
 * <ol>
 * <li>a provider's own figures in {@link ModelInfo#details()}: {@value #RAM_GB} (and {@value #VRAM_GB}, else the same);</li>
 * <li>real metadata in {@link ModelInfo#details()}: {@value #PARAMETER_COUNT} (a GGUF header's count) or
 *     {@value #PARAMETER_SIZE} (Ollama's "8.0B"), with {@value #QUANTIZATION} / {@value #QUANTIZATION_LEVEL} /
 *     {@value #FILE_TYPE}; or the file's size in bytes ({@value #SIZE_BYTES}, {@value #FILE_SIZE}, {@value #SIZE}).
 *     Weights plus a fifth for the KV cache and buffers, plus 0.5 GB of runtime;</li>
 * <li>the seed's table ({@code estimate_model_requirements}) for the models it names;</li>
 * <li>size classes read from the parameter count in the name ("7b", "3.8b", "8x7b", "270m"), with the figures of
 *     the seed's rows: 2 GB of RAM and 1 GB of VRAM per billion parameters up to 14B, its 70B row above that;</li>
 * <li>{@link ModelRequirements#DEFAULT} (8 GB RAM / 4 GB VRAM).</li>
 * </ol>
 * Pure and cheap, but callers on the request path cache it per model ({@link HardwareFit}).
 */
public final class RequirementEstimator {
    public static final String RAM_GB = "ram_gb";
    public static final String VRAM_GB = "vram_gb";
    public static final String PARAMETER_COUNT = "parameter_count";
    public static final String PARAMETER_SIZE = "parameter_size";
    public static final String QUANTIZATION = "quantization";
    public static final String QUANTIZATION_LEVEL = "quantization_level";
    public static final String FILE_TYPE = "file_type";
    public static final String SIZE_BYTES = "size_bytes";
    public static final String FILE_SIZE = "file_size";
    public static final String SIZE = "size";

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The seed's {@code model_sizes} table: RAM and VRAM in GB. */
    static final Map<String, double[]> SEED_TABLE = seedTable();

    /** Size classes: up to N billion parameters → RAM, VRAM (GB). From the seed's rows; 34B is interpolated. */
    record SizeClass(double maxBillions, double ramGb, double vramGb) {}

    static final List<SizeClass> SIZE_CLASSES = List.of(
            new SizeClass(2.5, 4, 2),     // gemma-2b
            new SizeClass(4.5, 6, 3),     // qwen2.5-3b
            new SizeClass(7.5, 14, 7),    // qwen2.5-7b, mistral-7b
            new SizeClass(9.5, 16, 8),    // llama-3.1-8b
            new SizeClass(15, 28, 14),    // qwen2.5-14b
            new SizeClass(35, 64, 24),    // interpolated between the 14B and 70B rows
            new SizeClass(75, 140, 40));  // llama-3.1-70b

    private static final Pattern MOE = Pattern.compile("(?<![a-z0-9.])(\\d{1,3})x(\\d{1,4}(?:\\.\\d{1,3})?)b(?![a-z0-9])");
    private static final Pattern SIZE_IN_NAME = Pattern.compile("(?<![a-z0-9.])(\\d{1,4}(?:\\.\\d{1,3})?)([bm])(?![a-z0-9])");

    private RequirementEstimator() {}

    private static Map<String, double[]> seedTable() {
        Map<String, double[]> t = new LinkedHashMap<>();
        t.put("llama-3.1-70b-instruct", new double[] {140, 40});
        t.put("llama-3.1-8b-instruct", new double[] {16, 8});
        t.put("qwen2.5-14b-instruct", new double[] {28, 14});
        t.put("qwen2.5-7b-instruct", new double[] {14, 7});
        t.put("qwen2.5-3b-instruct", new double[] {6, 3});
        t.put("mixtral-8x7b-instruct", new double[] {90, 24});
        t.put("mistral-7b-instruct", new double[] {14, 7});
        t.put("phi-3-medium-4k-instruct", new double[] {8, 4});
        t.put("phi-3-mini-4k-instruct", new double[] {4, 2});
        t.put("gemma-2b-it", new double[] {4, 2});
        return Map.copyOf(t);
    }

    public static ModelRequirements estimate(ModelInfo model) {
        ModelRequirements fromMetadata = fromMetadata(model);
        return fromMetadata != null ? fromMetadata : estimate(model.modelId());
    }

    /** From the name alone: the seed's table, then the size class in the name, then the default. */
    public static ModelRequirements estimate(String modelId) {
        if (modelId == null) {
            return ModelRequirements.DEFAULT;
        }
        String id = modelId.strip().toLowerCase(Locale.ROOT);
        String base = id.substring(id.lastIndexOf('/') + 1);
        int colon = base.indexOf(':');
        String untagged = colon > 0 ? base.substring(0, colon) : base;
        double[] row = SEED_TABLE.get(untagged);
        if (row != null) {
            return new ModelRequirements(row[0], row[1], "table");
        }
        Double billions = billionsInName(id);
        if (billions == null) {
            return ModelRequirements.DEFAULT;
        }
        for (SizeClass c : SIZE_CLASSES) {
            if (billions <= c.maxBillions()) {
                return new ModelRequirements(c.ramGb(), c.vramGb(), "table");
            }
        }
        return new ModelRequirements(round1(billions * 2), round1(billions * 0.6), "table");
    }

    /** The parameter count a name states, in billions: "8x7b" is 56, "3.8b" 3.8, "270m" 0.27; null when none. */
    static Double billionsInName(String id) {
        String s = id.toLowerCase(Locale.ROOT);
        Matcher moe = MOE.matcher(s);
        if (moe.find()) {
            return Integer.parseInt(moe.group(1)) * Double.parseDouble(moe.group(2));
        }
        Matcher m = SIZE_IN_NAME.matcher(s);
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            double b = m.group(2).equals("m") ? v / 1000 : v;
            if (b > 0) {
                return b;
            }
        }
        return null;
    }

    /** From what the provider read (GGUF header, Ollama details, file size); null when it said nothing usable. */
    static ModelRequirements fromMetadata(ModelInfo model) {
        Map<String, String> d = model.details();
        String source = model.providerType() == ProviderType.LOCAL ? "gguf"
                : model.providerType() == ProviderType.OLLAMA ? "ollama" : "metadata";
        Double ram = parameterCount(d.get(RAM_GB));
        if (ram != null) {
            Double vram = parameterCount(d.get(VRAM_GB));
            return new ModelRequirements(ram, vram != null ? vram : ram, source);
        }
        Double params = parameterCount(d.get(PARAMETER_COUNT));
        if (params == null) {
            params = parameterSize(d.get(PARAMETER_SIZE));
        }
        Double bits = bitsPerWeight(first(d, QUANTIZATION, QUANTIZATION_LEVEL, FILE_TYPE));
        Double bytes = parameterCount(first(d, SIZE_BYTES, FILE_SIZE, SIZE));
        double weightsGb;
        if (params != null && bits != null) {
            weightsGb = params * bits / 8 / GIB;
        } else if (bytes != null) {
            weightsGb = bytes / GIB;
            source = params == null ? "file_size" : source;
        } else if (params != null) {
            weightsGb = params * 2 / GIB; // quantization unknown: 16-bit, as the seed's table assumes for RAM
        } else {
            return null;
        }
        double need = round1(weightsGb * 1.2 + 0.5);
        return new ModelRequirements(need, need, source);
    }

    private static String first(Map<String, String> d, String... keys) {
        for (String k : keys) {
            String v = d.get(k);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** A plain positive number ("6738415616", "4.1e9"); null otherwise. */
    static Double parameterCount(String v) {
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.strip());
            return Double.isFinite(d) && d > 0 && d < 1e16 ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Ollama's {@code parameter_size}: "8.0B", "270M", "1.5b"; null otherwise. */
    static Double parameterSize(String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip().toUpperCase(Locale.ROOT);
        if (s.length() < 2 || s.length() > 20) {
            return null;
        }
        double unit = switch (s.charAt(s.length() - 1)) {
            case 'B' -> 1e9;
            case 'M' -> 1e6;
            case 'K' -> 1e3;
            case 'T' -> 1e12;
            default -> 0;
        };
        Double n = unit == 0 ? null : parameterCount(s.substring(0, s.length() - 1));
        return n == null ? null : n * unit;
    }

    /** Bits per weight of a llama.cpp quantization ("Q4_K_M", "MOSTLY_Q8_0", "F16") or GGUF file_type number. */
    static Double bitsPerWeight(String quant) {
        if (quant == null) {
            return null;
        }
        String q = quant.strip().toUpperCase(Locale.ROOT).replace("MOSTLY_", "").replace('-', '_');
        if (q.matches("\\d{1,3}")) {
            q = switch (Integer.parseInt(q)) {
                case 0 -> "F32";
                case 1 -> "F16";
                case 2 -> "Q4_0";
                case 3 -> "Q4_1";
                case 7 -> "Q8_0";
                case 8 -> "Q5_0";
                case 9 -> "Q5_1";
                case 10 -> "Q2_K";
                case 11 -> "Q3_K_S";
                case 12 -> "Q3_K_M";
                case 13 -> "Q3_K_L";
                case 14 -> "Q4_K_S";
                case 15 -> "Q4_K_M";
                case 16 -> "Q5_K_S";
                case 17 -> "Q5_K_M";
                case 18 -> "Q6_K";
                case 32 -> "BF16";
                default -> "";
            };
        }
        if (q.startsWith("F32") || q.equals("FP32")) {
            return 32.0;
        }
        if (q.startsWith("F16") || q.startsWith("BF16") || q.equals("FP16")) {
            return 16.0;
        }
        if (q.startsWith("Q8") || q.equals("INT8") || q.equals("8BIT")) {
            return 8.5;
        }
        if (q.startsWith("Q6")) {
            return 6.6;
        }
        if (q.startsWith("Q5")) {
            return 5.5;
        }
        if (q.startsWith("Q4") || q.startsWith("IQ4") || q.equals("INT4") || q.equals("4BIT")) {
            return 4.8;
        }
        if (q.startsWith("Q3") || q.startsWith("IQ3")) {
            return 3.9;
        }
        if (q.startsWith("Q2") || q.startsWith("IQ2")) {
            return 3.0;
        }
        if (q.startsWith("IQ1")) {
            return 1.8;
        }
        return null;
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
