package dev.switchboard.local.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3 files: typed metadata and F32 tensors. Enough for the demo model and for test fixtures (a header
 * may declare anything, such as a parameter count no machine can hold). Tensor dims are given in ggml order: a
 * matrix of shape (rows, cols) is {@code {cols, rows}}.
 */
public final class GgufWriter {
    public static final int DEFAULT_ALIGNMENT = 32;

    private record Value(GgufValueType type, GgufValueType elementType, Object value) {}

    private record Tensor(String name, long[] dims, float[] data) {}

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private int alignment = DEFAULT_ALIGNMENT;

    public GgufWriter string(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter u32(String key, long value) {
        if (key.equals("general.alignment")) {
            alignment = (int) value;
        }
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter u64(String key, long value) {
        return put(key, GgufValueType.UINT64, value);
    }

    public GgufWriter f32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter bool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter strings(String key, List<String> values) {
        metadata.put(key, new Value(GgufValueType.ARRAY, GgufValueType.STRING, List.copyOf(values)));
        return this;
    }

    public GgufWriter floats(String key, float[] values) {
        metadata.put(key, new Value(GgufValueType.ARRAY, GgufValueType.FLOAT32, values.clone()));
        return this;
    }

    public GgufWriter ints(String key, int[] values) {
        metadata.put(key, new Value(GgufValueType.ARRAY, GgufValueType.INT32, values.clone()));
        return this;
    }

    /** An F32 tensor; {@code data.length} must equal the product of {@code dims}. */
    public GgufWriter tensor(String name, long[] dims, float[] data) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": dims give " + n + " elements, data has " + data.length);
        }
        tensors.add(new Tensor(name, dims.clone(), data));
        return this;
    }

    private GgufWriter put(String key, GgufValueType type, Object value) {
        metadata.put(key, new Value(type, null, value));
        return this;
    }

    /** Writes to a temporary file beside {@code file} and moves it into place, so readers never see half a model. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".part");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                write(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public byte[] toBytes() {
        var out = new java.io.ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public void write(OutputStream os) throws IOException {
        Out out = new Out(os);
        out.u32(GgufReader.MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, Value> e : metadata.entrySet()) {
            out.string(e.getKey());
            Value v = e.getValue();
            out.u32(v.type.id());
            if (v.type == GgufValueType.ARRAY) {
                out.u32(v.elementType.id());
                switch (v.value) {
                    case List<?> list -> {
                        out.u64(list.size());
                        for (Object s : list) {
                            out.string((String) s);
                        }
                    }
                    case float[] fs -> {
                        out.u64(fs.length);
                        for (float f : fs) {
                            out.u32(Float.floatToIntBits(f));
                        }
                    }
                    case int[] is -> {
                        out.u64(is.length);
                        for (int i : is) {
                            out.u32(i);
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            } else {
                scalar(out, v);
            }
        }
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor t : tensors) {
            out.string(t.name);
            out.u32(t.dims.length);
            for (long d : t.dims) {
                out.u64(d);
            }
            out.u32(GgmlType.F32.id);
            out.u64(offset);
            offsets.add(offset);
            offset = align(offset + 4L * t.data.length);
        }
        out.pad(align(out.written) - out.written);
        long dataStart = out.written;
        for (int i = 0; i < tensors.size(); i++) {
            out.pad(dataStart + offsets.get(i) - out.written);
            ByteBuffer bb = ByteBuffer.allocate(4 * tensors.get(i).data.length).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(tensors.get(i).data);
            out.bytes(bb.array());
        }
        out.flush();
    }

    private static void scalar(Out out, Value v) throws IOException {
        switch (v.type) {
            case STRING -> out.string((String) v.value);
            case UINT32 -> out.u32(((Long) v.value).intValue());
            case UINT64 -> out.u64((Long) v.value);
            case FLOAT32 -> out.u32(Float.floatToIntBits((Float) v.value));
            case BOOL -> out.bytes(new byte[] {(byte) ((Boolean) v.value ? 1 : 0)});
            default -> throw new IllegalStateException("unsupported type " + v.type);
        }
    }

    private long align(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private static final class Out {
        private final OutputStream os;
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long written;

        Out(OutputStream os) {
            this.os = os;
        }

        void u32(long v) throws IOException {
            scratch.clear();
            scratch.putInt((int) v);
            os.write(scratch.array(), 0, 4);
            written += 4;
        }

        void u64(long v) throws IOException {
            scratch.clear();
            scratch.putLong(v);
            os.write(scratch.array(), 0, 8);
            written += 8;
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void bytes(byte[] b) throws IOException {
            os.write(b);
            written += b.length;
        }

        void pad(long n) throws IOException {
            for (long i = 0; i < n; i++) {
                os.write(0);
            }
            written += n;
        }

        void flush() throws IOException {
            os.flush();
        }
    }
}
