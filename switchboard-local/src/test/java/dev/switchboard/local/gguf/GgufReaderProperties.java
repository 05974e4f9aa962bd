package dev.switchboard.local.gguf;

import dev.switchboard.local.DemoModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever the bytes, the reader answers a header or its own format exception: nothing else, and no OOM. */
class GgufReaderProperties {
    private static final byte[] DEMO = DemoModel.bytes();

    @Property(tries = 500)
    void arbitraryBytes(@ForAll @Size(max = 4096) byte[] bytes) {
        readOrFormatError(bytes);
    }

    @Property(tries = 1000)
    void bytesAfterAValidPrefix(@ForAll("prefixed") byte[] bytes) {
        readOrFormatError(bytes);
    }

    @Property(tries = 300)
    void corruptedDemoHeaders(@ForAll("corrupted") byte[] bytes) {
        readOrFormatError(bytes);
    }

    private static void readOrFormatError(byte[] bytes) {
        try {
            GgufReader.read(bytes);
        } catch (GgufFormatException expected) {
            // fine: the reader's own error
        }
    }

    /** Magic and version 3, then random counts and data, so the parser gets past the first check. */
    @Provide
    Arbitrary<byte[]> prefixed() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2048).map(tail -> {
            ByteBuffer b = ByteBuffer.allocate(8 + tail.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(GgufReader.MAGIC).putInt(3).put(tail);
            return b.array();
        });
    }

    /** The demo model's header (the first 8 KB) with a few bytes overwritten. */
    @Provide
    Arbitrary<byte[]> corrupted() {
        int headerLength = 8192;
        return Arbitraries.integers().between(8, headerLength - 1).list().ofMinSize(1).ofMaxSize(8)
                .flatMap(positions -> Arbitraries.bytes().array(byte[].class).ofSize(positions.size()).map(values -> {
                    byte[] copy = java.util.Arrays.copyOf(DEMO, DEMO.length);
                    for (int i = 0; i < positions.size(); i++) {
                        copy[positions.get(i)] = values[i];
                    }
                    return copy;
                }));
    }
}
