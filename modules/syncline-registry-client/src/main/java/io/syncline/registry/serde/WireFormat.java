package io.syncline.registry.serde;

/**
 * Confluent's wire format: one magic byte {@code 0}, the schema id as a 4-byte big-endian int, then the Avro binary
 * encoding of the datum.
 */
public final class WireFormat {

    /** The first byte of every framed message. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Writes the 5-byte header for {@code schemaId} into {@code out} at {@code offset}. */
    public static void writeHeader(byte[] out, int offset, int schemaId) {
        out[offset] = MAGIC_BYTE;
        out[offset + 1] = (byte) (schemaId >>> 24);
        out[offset + 2] = (byte) (schemaId >>> 16);
        out[offset + 3] = (byte) (schemaId >>> 8);
        out[offset + 4] = (byte) schemaId;
    }

    /** The schema id of a framed message whose header starts at {@code offset} (the magic byte is not checked). */
    public static int readSchemaId(byte[] data, int offset) {
        return ((data[offset + 1] & 0xff) << 24) | ((data[offset + 2] & 0xff) << 16) | ((data[offset + 3] & 0xff) << 8)
                | (data[offset + 4] & 0xff);
    }
}
