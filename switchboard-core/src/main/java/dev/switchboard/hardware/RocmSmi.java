package dev.switchboard.hardware;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code rocm-smi --showproductname --showmeminfo vram --json}: an object with one {@code cardN} entry per GPU
 * ({@code "VRAM Total Memory (B)"}, {@code "VRAM Total Used Memory (B)"} as strings of bytes, {@code "Card series"}
 * or, in newer releases, {@code "Card Series"}) and a {@code system} entry. rocm-smi may print a warning line before
 * the JSON. A card with under 1 GiB of VRAM is an integrated GPU's aperture, not memory a model can use, and is left out.
 */
public final class RocmSmi {
    public static final List<String> COMMAND = List.of("rocm-smi", "--showproductname", "--showmeminfo", "vram", "--json");
    static final long MIN_VRAM_BYTES = 1L << 30;
    private static final Pattern CARD = Pattern.compile("card(\\d{1,6})");

    private RocmSmi() {}

    public static List<GpuInfo> parse(String output) {
        List<GpuInfo> gpus = new ArrayList<>();
        if (output == null) {
            return gpus;
        }
        int start = output.indexOf('{');
        int end = output.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return gpus;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(output.substring(start, end + 1));
        } catch (Exception e) {
            return gpus;
        }
        if (root == null || !root.isObject()) {
            return gpus;
        }
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Matcher m = CARD.matcher(e.getKey().strip().toLowerCase(Locale.ROOT));
            if (!m.matches() || !e.getValue().isObject()) {
                continue;
            }
            JsonNode card = e.getValue();
            Long total = bytes(field(card, "vram total memory (b)"));
            Long used = bytes(field(card, "vram total used memory (b)"));
            if (total == null || total < MIN_VRAM_BYTES) {
                continue;
            }
            String name = text(field(card, "card series"));
            if (name == null) {
                name = text(field(card, "device name"));
            }
            if (name == null) {
                name = text(field(card, "card model"));
            }
            long totalMb = total / (1024 * 1024);
            long freeMb = used == null || used < 0 || used > total ? -1 : (total - used) / (1024 * 1024);
            gpus.add(new GpuInfo(Integer.parseInt(m.group(1)), name == null ? "AMD GPU" : name, "AMD", totalMb, freeMb, false));
        }
        gpus.sort(java.util.Comparator.comparingInt(GpuInfo::index));
        return gpus;
    }

    /** The field whose name matches, ignoring case (rocm-smi releases differ: "Card series" / "Card Series"). */
    private static JsonNode field(JsonNode card, String lowerName) {
        Iterator<Map.Entry<String, JsonNode>> it = card.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().strip().toLowerCase(Locale.ROOT).equals(lowerName)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        if (n == null || !n.isValueNode()) {
            return null;
        }
        String s = n.asText().strip();
        return s.isEmpty() || s.equalsIgnoreCase("n/a") || s.equalsIgnoreCase("unknown") ? null : s;
    }

    private static Long bytes(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        String s = text(n);
        if (s == null || s.length() > 19) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
