package dev.agentstore.conversation;

import dev.agentstore.InvalidInputException;
import dev.agentstore.document.ChunkId;
import dev.agentstore.internal.Checks;

/**
 * A reference an answer used: a document, web page or chunk, with its retrieval score.
 *
 * @param uri where the source lives; not blank, at most 4,000 characters
 * @param title a human-readable title, or null
 * @param chunkId the chunk the text came from, or null
 * @param score the retrieval score (similarity or rank), or null; finite when present
 */
public record Source(String uri, String title, ChunkId chunkId, Double score) {

    /**
     * Checks the components.
     *
     * @throws InvalidInputException when the uri is blank or too long, the title blank or too long, or the score not finite
     */
    public Source {
        Checks.text(uri, "source uri", Values.MAX_URI_LENGTH, null);
        Checks.optionalText(title, "source title", Values.MAX_TITLE_LENGTH);
        if (score != null && !Double.isFinite(score)) {
            throw new InvalidInputException("source score must be a finite number or null, but was " + score);
        }
    }

    /**
     * A source with only a URI.
     *
     * @param uri the URI
     * @return a source with only a URI
     */
    public static Source of(String uri) {
        return new Source(uri, null, null, null);
    }

    /**
     * A source with a URI, title, chunk and score.
     *
     * @param uri the URI
     * @param title the title
     * @param chunkId the chunk
     * @param score the score
     * @return a source with a URI, title, chunk and score
     */
    public static Source of(String uri, String title, ChunkId chunkId, double score) {
        return new Source(uri, title, chunkId, score);
    }
}
