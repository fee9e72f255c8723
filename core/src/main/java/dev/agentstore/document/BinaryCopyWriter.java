package dev.agentstore.document;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes PostgreSQL's binary COPY format: a header, then per row a field count and, per field, its
 * length and bytes in the type's binary ("recv") representation, then a trailer. Only the types
 * ingestion needs: bytea, text, int4, uuid, jsonb and pgvector's vector (int16 dimension, int16
 * unused, dimension × float4, all big-endian).
 */
final class BinaryCopyWriter {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private final DataOutputStream out;

    BinaryCopyWriter(OutputStream out) throws IOException {
        this.out = new DataOutputStream(out);
        this.out.write(SIGNATURE);
        this.out.writeInt(0); // flags: no OIDs
        this.out.writeInt(0); // no header extension
    }

    void row(int fields) throws IOException {
        out.writeShort(fields);
    }

    void bytea(byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    /** A text field; null writes SQL NULL (a keyed chunk without text). */
    void text(String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        bytea(value.getBytes(StandardCharsets.UTF_8));
    }

    void int4(int value) throws IOException {
        out.writeInt(4);
        out.writeInt(value);
    }

    void uuid(UUID value) throws IOException {
        out.writeInt(16);
        out.writeLong(value.getMostSignificantBits());
        out.writeLong(value.getLeastSignificantBits());
    }

    void jsonb(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length + 1);
        out.writeByte(1); // jsonb binary format version
        out.write(bytes);
    }

    void vector(float[] v) throws IOException {
        out.writeInt(4 + 4 * v.length);
        out.writeShort(v.length);
        out.writeShort(0);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    /** Writes the trailer and flushes; the caller closes the underlying stream. */
    void finish() throws IOException {
        out.writeShort(-1);
        out.flush();
    }
}
