package dev.agentstore.internal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes rows in PostgreSQL's binary COPY format: a header, then per row a field count and per field
 * its length and bytes in the type's binary ("recv") form, then a trailer. The types the bulk paths
 * need: text, bytea, int4, int8, uuid, jsonb, timestamptz (microseconds since 2000-01-01 UTC), pgvector's
 * {@code vector} (int16 dimension, int16 unused, dimension x float4, all big-endian) and NULL. The one
 * binary COPY writer of the library (conversation import, knowledge ingestion). Not thread-safe; one
 * writer per COPY.
 */
public final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final Instant PG_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private final DataOutputStream out;
    private byte[] scratch = new byte[0];

    /** Starts the stream (writes the header). */
    public BinaryCopy(OutputStream target) throws IOException {
        this.out = new DataOutputStream(new BufferedOutputStream(target, 1 << 16));
        out.write(SIGNATURE);
        out.writeInt(0); // flags: no OIDs
        out.writeInt(0); // no header extension
    }

    /** Starts a row of this many fields. */
    public void row(int fields) throws IOException {
        out.writeShort(fields);
    }

    /** A NULL field. */
    public void nul() throws IOException {
        out.writeInt(-1);
    }

    /** A text field, or NULL. */
    public void text(String value) throws IOException {
        if (value == null) {
            nul();
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** A bytea field. */
    public void bytea(byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    /** A pgvector {@code vector} field (its binary "recv" form). */
    public void vector(float[] v) throws IOException {
        int bytes = 4 * v.length;
        if (scratch.length < bytes) {
            scratch = new byte[bytes];
        }
        // one bulk write instead of one call per float: vectors are most of a chunk row's bytes
        ByteBuffer.wrap(scratch, 0, bytes).asFloatBuffer().put(v);
        out.writeInt(4 + bytes);
        out.writeShort(v.length);
        out.writeShort(0);
        out.write(scratch, 0, bytes);
    }

    /** An int4 field, or NULL. */
    public void int4(Integer value) throws IOException {
        if (value == null) {
            nul();
            return;
        }
        out.writeInt(4);
        out.writeInt(value);
    }

    /** An int8 field, or NULL. */
    public void int8(Long value) throws IOException {
        if (value == null) {
            nul();
            return;
        }
        out.writeInt(8);
        out.writeLong(value);
    }

    /** A uuid field. */
    public void uuid(UUID value) throws IOException {
        out.writeInt(16);
        out.writeLong(value.getMostSignificantBits());
        out.writeLong(value.getLeastSignificantBits());
    }

    /** A jsonb field from JSON text. */
    public void jsonb(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length + 1);
        out.writeByte(1); // jsonb binary format version
        out.write(bytes);
    }

    /** A timestamptz field (microsecond precision; finer digits are dropped). */
    public void timestamptz(Instant value) throws IOException {
        out.writeInt(8);
        out.writeLong(ChronoUnit.MICROS.between(PG_EPOCH, value.truncatedTo(ChronoUnit.MICROS)));
    }

    /** Writes the trailer and flushes; the caller closes the underlying stream. */
    public void finish() throws IOException {
        out.writeShort(-1);
        out.flush();
    }
}
