package dev.switchboard.local.gguf;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a GGUF header (versions 2 and 3, little-endian) without loading the weights. Every declared length is
 * checked against the bytes the file still has before anything is allocated, so a truncated or hostile file costs
 * a {@link GgufFormatException}, never an OutOfMemoryError. Array contents are skipped; only their length is kept.
 */
public final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    /** Longer strings are refused: chat templates run to tens of KB, nothing legitimate is near this. */
    static final int MAX_STRING = 16 << 20;
    static final int MAX_DIMS = 4;
    static final int MAX_TENSORS = 1 << 20;

    private final ReadableByteChannel in;
    private final long size;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long position; // bytes consumed by the parser

    private GgufReader(ReadableByteChannel in, long size) {
        this.in = in;
        this.size = size;
        buf.limit(0);
    }

    public static GgufFile read(Path file) throws IOException, GgufFormatException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new GgufReader(ch, ch.size()).parse();
        }
    }

    public static GgufFile read(byte[] bytes) throws GgufFormatException {
        try {
            return new GgufReader(Channels.newChannel(new ByteArrayInputStream(bytes)), bytes.length).parse();
        } catch (IOException e) {
            throw new GgufFormatException("cannot read: " + e.getMessage(), e); // not reachable for a byte array
        }
    }

    private GgufFile parse() throws IOException, GgufFormatException {
        if (size < 24) {
            throw new GgufFormatException("not a GGUF file: " + size + " bytes is shorter than a GGUF header");
        }
        int magic = (int) u32();
        if (magic != MAGIC) {
            throw new GgufFormatException("not a GGUF file: the magic is not 'GGUF'");
        }
        int version = (int) u32();
        if (version != 2 && version != 3) {
            throw new GgufFormatException("unsupported GGUF version " + Integer.toUnsignedString(version) + " (2 and 3 are)");
        }
        long tensorCount = count("tensor count", 8 + 4 + 8 + 4 + 8);
        long kvCount = count("metadata count", 8 + 4 + 1);
        if (tensorCount > MAX_TENSORS) {
            throw new GgufFormatException("tensor count " + tensorCount + " is beyond " + MAX_TENSORS);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string("metadata key");
            GgufValueType type = GgufValueType.of(u32());
            metadata.put(key, value(type, key));
        }
        List<GgufFile.Tensor> tensors = new ArrayList<>((int) tensorCount);
        long elements = 0;
        for (long i = 0; i < tensorCount; i++) {
            String name = string("tensor name");
            long nDims = u32();
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw new GgufFormatException("tensor '" + name + "' has " + nDims + " dimensions (1 to " + MAX_DIMS + " allowed)");
            }
            long[] dims = new long[(int) nDims];
            long n = 1;
            for (int d = 0; d < nDims; d++) {
                dims[d] = u64();
                if (dims[d] < 1) {
                    throw new GgufFormatException("tensor '" + name + "' has dimension " + Long.toUnsignedString(dims[d]));
                }
                n = multiply(n, dims[d], name);
            }
            elements = add(elements, n, name);
            long typeId = u32();
            long offset = u64();
            GgmlType type = GgmlType.of(typeId);
            if (type != null && n % type.blockSize != 0) {
                throw new GgufFormatException("tensor '" + name + "': " + n + " elements do not fill whole " + type + " blocks");
            }
            tensors.add(new GgufFile.Tensor(name, dims, typeId, type, offset));
        }
        long alignment = metadata.get("general.alignment") instanceof Long a && a > 0 && a <= (1 << 20) ? a : 32;
        long dataOffset = (position + alignment - 1) / alignment * alignment;
        return new GgufFile(version, metadata, tensors, dataOffset, size);
    }

    private static long multiply(long a, long b, String tensor) throws GgufFormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new GgufFormatException("tensor '" + tensor + "' claims more elements than fit in 63 bits");
        }
    }

    private static long add(long a, long b, String tensor) throws GgufFormatException {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new GgufFormatException("the tensors up to '" + tensor + "' claim more elements than fit in 63 bits");
        }
    }

    /** A u64 count of items that each take at least {@code minItemBytes}: more than the file can hold is refused. */
    private long count(String what, int minItemBytes) throws IOException, GgufFormatException {
        long n = u64();
        if (n < 0 || n > remaining() / minItemBytes) {
            throw new GgufFormatException(what + " " + Long.toUnsignedString(n) + " is more than the " + remaining()
                    + " remaining bytes can hold");
        }
        return n;
    }

    private Object value(GgufValueType type, String key) throws IOException, GgufFormatException {
        return switch (type) {
            case UINT8 -> (long) (u8());
            case INT8 -> (long) (byte) u8();
            case UINT16 -> (long) (short16() & 0xFFFF);
            case INT16 -> (long) short16();
            case UINT32 -> u32();
            case INT32 -> (long) (int) u32();
            case FLOAT32 -> (double) Float.intBitsToFloat((int) u32());
            case BOOL -> u8() != 0;
            case STRING -> string(key);
            case UINT64, INT64 -> u64();
            case FLOAT64 -> Double.longBitsToDouble(u64());
            case ARRAY -> array(key);
        };
    }

    private GgufFile.Array array(String key) throws IOException, GgufFormatException {
        GgufValueType element = GgufValueType.of(u32());
        if (element == GgufValueType.ARRAY) {
            throw new GgufFormatException("'" + key + "': nested arrays are not supported");
        }
        long length = count("'" + key + "' length", element.minSize());
        if (element == GgufValueType.STRING) {
            for (long i = 0; i < length; i++) {
                skip(stringLength(key));
            }
        } else {
            skip(length * element.size);
        }
        return new GgufFile.Array(element, length);
    }

    private long stringLength(String what) throws IOException, GgufFormatException {
        long n = u64();
        if (n < 0 || n > remaining()) {
            throw new GgufFormatException(what + ": string length " + Long.toUnsignedString(n) + " exceeds the "
                    + remaining() + " remaining bytes");
        }
        return n;
    }

    private String string(String what) throws IOException, GgufFormatException {
        long n = stringLength(what);
        if (n > MAX_STRING) {
            throw new GgufFormatException(what + ": string of " + n + " bytes is beyond the " + MAX_STRING + "-byte limit");
        }
        byte[] bytes = new byte[(int) n];
        int done = 0;
        while (done < n) {
            fill(1);
            int chunk = Math.min(buf.remaining(), (int) n - done);
            buf.get(bytes, done, chunk);
            done += chunk;
            position += chunk;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new GgufFormatException(what + ": string is not valid UTF-8");
        }
    }

    private long remaining() {
        return size - position;
    }

    private void skip(long n) throws IOException, GgufFormatException {
        if (n > remaining()) {
            throw new GgufFormatException("truncated: needs " + n + " more bytes at offset " + position + ", file has " + remaining());
        }
        while (n > 0) {
            fill(1);
            int chunk = (int) Math.min(buf.remaining(), n);
            buf.position(buf.position() + chunk);
            position += chunk;
            n -= chunk;
        }
    }

    private int u8() throws IOException, GgufFormatException {
        fill(1);
        position += 1;
        return buf.get() & 0xFF;
    }

    private short short16() throws IOException, GgufFormatException {
        fill(2);
        position += 2;
        return buf.getShort();
    }

    private long u32() throws IOException, GgufFormatException {
        fill(4);
        position += 4;
        return buf.getInt() & 0xFFFFFFFFL;
    }

    private long u64() throws IOException, GgufFormatException {
        fill(8);
        position += 8;
        return buf.getLong();
    }

    /** Makes at least {@code n} (at most 8) bytes available in the buffer. */
    private void fill(int n) throws IOException, GgufFormatException {
        if (buf.remaining() >= n) {
            return;
        }
        if (remaining() < n) {
            throw new GgufFormatException("truncated: the file ends at offset " + size + " inside the header");
        }
        buf.compact();
        try {
            while (buf.position() < n) {
                if (in.read(buf) < 0) {
                    throw new EOFException();
                }
            }
        } catch (EOFException e) {
            throw new GgufFormatException("truncated: the file ends at offset " + position + " inside the header");
        } finally {
            buf.flip();
        }
    }
}
