package io.syncline.normalizer.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes records in the Confluent wire format (magic byte 0, big-endian 4-byte schema id, Avro binary), reusing its
 * buffer, encoder and datum writers across records. One per stream task: not thread-safe.
 */
public final class AvroWireEncoder {

    private final Buffer buffer = new Buffer();
    private final Map<Schema, GenericDatumWriter<GenericRecord>> writers = new IdentityHashMap<>();
    private BinaryEncoder encoder;

    /** Encodes {@code record}; the result is a fresh array the caller owns. */
    public byte[] encode(int schemaId, GenericRecord record) {
        buffer.reset();
        buffer.write(0);
        buffer.write(schemaId >>> 24);
        buffer.write(schemaId >>> 16);
        buffer.write(schemaId >>> 8);
        buffer.write(schemaId);
        Schema schema = record.getSchema();
        GenericDatumWriter<GenericRecord> writer = writers.computeIfAbsent(schema, GenericDatumWriter::new);
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** A growable byte buffer without ByteArrayOutputStream's synchronization. */
    private static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[2048];
        private int size;

        void reset() {
            size = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
