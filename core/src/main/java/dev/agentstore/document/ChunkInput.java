package dev.agentstore.document;

import dev.agentstore.ContentHash;
import dev.agentstore.internal.Checks;
import dev.agentstore.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One chunk of a document to ingest: its text, optional metadata for this position, optionally its
 * embedding when the host computed it already, and optionally a key that identifies it.
 *
 * <p><b>Content-addressed chunks</b> (no key, {@link #of(String)} and friends): the chunk is addressed
 * by {@link ContentHash} of its text within the knowledge base, so identical texts (after the documented
 * normalisation) are stored and embedded once, whatever document or position uses them. A precomputed
 * embedding is used only when the knowledge base does not hold the text yet: the first embedding stored
 * for a text wins, and so does the first stored spelling of it.
 *
 * <p><b>Keyed chunks</b> ({@link #keyed(String, String, float[])}): the caller's key, not the text, is the
 * chunk's identity. Its content hash is SHA-256, in a namespace of its own, over the document's source
 * URI, the key, the exact text (or its absence) and the exact embedding bytes ({@link #contentHash(String)}):
 * a keyed chunk is never shared with another document nor with a content-addressed chunk, its text is
 * stored exactly as given (or not at all: the text may be null when the chunk is an embedding only), and
 * re-ingesting the document with another text or embedding under the same key replaces the chunk (the old
 * one is removed as no longer used). Two keyed chunks with equal texts and different embeddings keep both.
 *
 * @param text the chunk text, stored as given; not blank; null only for a keyed chunk with an embedding
 * @param metadata metadata of this position in the document (JSON object), never null
 * @param embedding the precomputed embedding, or null to use the ingestion's {@link EmbeddingFunction}
 * @param key the caller's identity key of a keyed chunk, or null for a content-addressed chunk
 */
public record ChunkInput(String text, Map<String, Object> metadata, float[] embedding, String key) {

    /** The longest key accepted. */
    public static final int MAX_KEY_LENGTH = 2000;

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when text is blank, or null without both a key and an embedding;
     * when the key is blank or longer than {@value #MAX_KEY_LENGTH}; when metadata has a null key
     */
    public ChunkInput {
        if (key != null) {
            if (key.isBlank()) {
                throw new InvalidInputException("chunk key must not be blank; give null for a content-addressed chunk");
            }
            if (key.length() > MAX_KEY_LENGTH) {
                throw new InvalidInputException("chunk key must be at most " + MAX_KEY_LENGTH + " characters, but has "
                        + key.length());
            }
            Checks.wellFormed(key, "chunk key");
        }
        if (text == null) {
            if (key == null) {
                throw new InvalidInputException("chunk text must not be null (only a keyed chunk, ChunkInput.keyed(key, null, "
                        + "embedding), may have no text)");
            }
            if (embedding == null) {
                throw new InvalidInputException("keyed chunk '" + key + "' has neither text nor embedding; a chunk without"
                        + " text needs its embedding");
            }
        } else {
            if (text.isBlank()) {
                throw new InvalidInputException("chunk text must not be blank" + (key == null ? "" : " (give null for a keyed"
                        + " chunk without text)"));
            }
            Checks.wellFormed(text, "chunk text");
        }
        metadata = Maps.copy(metadata, "chunk metadata");
        embedding = embedding == null ? null : embedding.clone();
    }

    /**
     * A content-addressed chunk (no key).
     *
     * @param text the text
     * @param metadata the metadata (JSON-compatible values)
     * @param embedding the embedding
     * @throws InvalidInputException when text is null or blank, or metadata has a null key
     */
    public ChunkInput(String text, Map<String, Object> metadata, float[] embedding) {
        this(text, metadata, embedding, null);
    }

    /**
     * A chunk with text only.
     *
     * @param text the text
     * @return a chunk with text only
     */
    public static ChunkInput of(String text) {
        return new ChunkInput(text, Map.of(), null, null);
    }

    /**
     * A chunk with text and metadata.
     *
     * @param text the text
     * @param metadata the metadata (JSON-compatible values)
     * @return a chunk with text and metadata
     */
    public static ChunkInput of(String text, Map<String, ?> metadata) {
        return new ChunkInput(text, Maps.copy(metadata, "chunk metadata"), null, null);
    }

    /**
     * A chunk with its precomputed embedding.
     *
     * @param text the text
     * @param embedding the embedding
     * @return a chunk with its precomputed embedding
     */
    public static ChunkInput of(String text, float[] embedding) {
        return new ChunkInput(text, Map.of(), embedding, null);
    }

    /**
     * A keyed chunk: identified by {@code key} within its document, text kept exactly (see the class comment).
     *
     * @param key the caller's identity key, not blank, at most {@value #MAX_KEY_LENGTH} characters
     * @param text the exact text, or null for an embedding without text
     * @param embedding the embedding; may be null only when there is a text (then the ingestion's
     * {@link EmbeddingFunction} embeds it)
     * @return a keyed chunk: identified by {@code key} within its document, text kept exactly
     * @throws InvalidInputException when the key is blank or too long, the text blank, or both text and embedding null
     */
    public static ChunkInput keyed(String key, String text, float[] embedding) {
        if (key == null) {
            throw new InvalidInputException("chunk key must not be null; use ChunkInput.of(text) for a content-addressed chunk");
        }
        return new ChunkInput(text, Map.of(), embedding, key);
    }

    /**
     * This chunk with metadata for its position (null for none).
     *
     * @param metadata the metadata (JSON-compatible values)
     * @return this chunk with metadata for its position (null for none)
     */
    public ChunkInput withMetadata(Map<String, ?> metadata) {
        return new ChunkInput(text, Maps.copy(metadata, "chunk metadata"), embedding, key);
    }

    /**
     * The precomputed embedding (a copy), or null.
     *
     * @return the precomputed embedding (a copy), or null
     */
    @Override
    public float[] embedding() {
        return embedding == null ? null : embedding.clone();
    }

    /**
     * Whether an embedding was given.
     *
     * @return whether an embedding was given
     */
    public boolean hasEmbedding() {
        return embedding != null;
    }

    /**
     * Whether this is a keyed chunk (identified by {@link #key()}, not by its text).
     *
     * @return whether this is a keyed chunk (identified by {@link #key()}, not by its text)
     */
    public boolean isKeyed() {
        return key != null;
    }

    /**
     * The content hash this chunk is stored under in the document with this source URI: for a
     * content-addressed chunk {@link ContentHash#of(String)} of its text (the source URI plays no part);
     * for a keyed chunk SHA-256 over {@code "agentstore-keyed-chunk-v1"}, the source URI, the key, the text
     * (or a marker for none) and the embedding's IEEE 754 bytes (or a marker for none), each
     * length-prefixed.
     *
     * @param sourceUri the document's source URI
     * @return the content hash this chunk is stored under in the document with this source URI
     * @throws InvalidInputException when the chunk is keyed and sourceUri is null
     */
    public ContentHash contentHash(String sourceUri) {
        if (key == null) {
            return ContentHash.of(text);
        }
        if (sourceUri == null) {
            throw new InvalidInputException("sourceUri must not be null: a keyed chunk's hash depends on its document");
        }
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        update(md, "agentstore-keyed-chunk-v1".getBytes(StandardCharsets.UTF_8));
        update(md, sourceUri.getBytes(StandardCharsets.UTF_8));
        update(md, key.getBytes(StandardCharsets.UTF_8));
        update(md, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        if (embedding == null) {
            update(md, null);
        } else {
            ByteBuffer b = ByteBuffer.allocate(embedding.length * 4);
            for (float f : embedding) {
                b.putInt(Float.floatToIntBits(f));
            }
            update(md, b.array());
        }
        return ContentHash.fromBytes(md.digest());
    }

    private static void update(MessageDigest md, byte[] bytes) {
        if (bytes == null) {
            md.update(new byte[] {-1, -1, -1, -1});
            return;
        }
        md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md.update(bytes);
    }

    /** Internal: the array itself, for agentstore's own use without copying. */
    float[] embeddingUnsafe() {
        return embedding;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkInput c && Objects.equals(text, c.text) && metadata.equals(c.metadata)
                && Arrays.equals(embedding, c.embedding) && Objects.equals(key, c.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, metadata, key) * 31 + Arrays.hashCode(embedding);
    }

    /** Shows sizes and metadata keys; never the text or the key. */
    @Override
    public String toString() {
        return "ChunkInput[" + (text == null ? "no text" : text.length() + " characters") + ", metadata=" + metadata.keySet()
                + (embedding == null ? "" : ", embedding of " + embedding.length + " dimensions")
                + (key == null ? "" : ", keyed") + "]";
    }
}
