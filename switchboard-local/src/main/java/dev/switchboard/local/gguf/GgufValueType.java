package dev.switchboard.local.gguf;

/** The metadata value types of the GGUF format, by their id on disk. */
public enum GgufValueType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), BOOL(1), STRING(-1), ARRAY(-1),
    UINT64(8), INT64(8), FLOAT64(8);

    /** Size in bytes, or -1 for the variable-length types. */
    final int size;

    GgufValueType(int size) {
        this.size = size;
    }

    public int id() {
        return ordinal();
    }

    static GgufValueType of(long id) throws GgufFormatException {
        if (id < 0 || id >= values().length) {
            throw new GgufFormatException("unknown metadata value type " + id);
        }
        return values()[(int) id];
    }

    /** The fewest bytes one value of this type takes on disk (a string's is its 8-byte length). */
    int minSize() {
        return switch (this) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> size;
        };
    }
}
