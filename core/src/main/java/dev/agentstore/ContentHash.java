package dev.agentstore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The content address of a text: SHA-256 over its normalised form. Part of agentstore's public
 * contract (chunks and semantic memories are deduplicated by it), so host code can compute it too.
 *
 * <p>Normalisation, in this order:
 * <ol>
 *   <li>Unicode NFC ({@link Normalizer.Form#NFC});</li>
 *   <li>every run of whitespace (Unicode white space, including non-breaking spaces, tabs and line
 *       breaks) becomes one U+0020 space;</li>
 *   <li>leading and trailing spaces are removed.</li>
 * </ol>
 * Case is kept. The hash is taken over the UTF-8 bytes of the result.
 *
 * <pre>{@code
 * ContentHash h = ContentHash.of("Hello,\n  world");   // same as ContentHash.of("Hello, world")
 * String hex = h.hex();
 * }</pre>
 *
 * Immutable.
 */
public final class ContentHash {

    /** The reference definition of the whitespace runs {@link #collapseWhitespace} replaces (tested against it). */
    static final Pattern WHITESPACE = Pattern.compile("[\\p{IsWhite_Space}\\u200B\\uFEFF]+");
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private ContentHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The normalised form of a text, as hashed.
     *
     * @param text the text
     * @return the normalised form of a text, as hashed
     * @throws InvalidInputException when text is null
     */
    public static String normalize(String text) {
        if (text == null) {
            throw new InvalidInputException("text must not be null");
        }
        String nfc = Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
        return collapseWhitespace(nfc).strip();
    }

    /**
     * Replaces every run of {@link #isSpace} characters by one U+0020 space: the same result as
     * {@code WHITESPACE.matcher(s).replaceAll(" ")}, without the regex engine (hashing is on the path of
     * every ingest, and most texts need no change: they are returned as they are).
     */
    static String collapseWhitespace(String s) {
        int n = s.length();
        int i = 0;
        // the prefix that needs no change: no space character other than a single U+0020
        while (i < n) {
            char c = s.charAt(i);
            if (isSpace(c) && (c != ' ' || (i + 1 < n && isSpace(s.charAt(i + 1))))) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder out = new StringBuilder(n).append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                out.append(' ');
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * What {@code [\p{IsWhite_Space}\u200B\uFEFF]} matches: Unicode White_Space (as
     * {@link Pattern}'s {@code IsWhite_Space} computes it), zero-width space and the byte-order mark. Every
     * such character is in the BMP, so a surrogate never matches.
     */
    static boolean isSpace(char c) {
        if (c == ' ') {
            return true;
        }
        if (c < 0x85) {
            return c >= 0x9 && c <= 0xd;
        }
        return c == 0x85 || c == 0x200B || c == 0xFEFF
                || ((((1 << Character.SPACE_SEPARATOR) | (1 << Character.LINE_SEPARATOR)
                        | (1 << Character.PARAGRAPH_SEPARATOR)) >> Character.getType(c)) & 1) != 0;
    }

    /**
     * The hash of a text's normalised form.
     *
     * @param text the text
     * @return the hash of a text's normalised form
     * @throws InvalidInputException when text is null
     */
    public static ContentHash of(String text) {
        return new ContentHash(sha256(normalize(text).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A hash from its 32 bytes (e.g. read from the database).
     *
     * @param bytes the bytes
     * @return a hash from its 32 bytes (e.g
     * @throws InvalidInputException when there are not exactly 32 bytes
     */
    public static ContentHash fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != 32) {
            throw new InvalidInputException("a content hash has 32 bytes, but got " + (bytes == null ? "null" : bytes.length));
        }
        return new ContentHash(bytes.clone());
    }

    /**
     * A hash from its 64 hexadecimal digits.
     *
     * @param hex the hexadecimal text
     * @return a hash from its 64 hexadecimal digits
     * @throws InvalidInputException when the text is not 64 hexadecimal digits
     */
    public static ContentHash fromHex(String hex) {
        if (hex == null || hex.length() != 64) {
            throw new InvalidInputException("a content hash has 64 hexadecimal digits, but got "
                    + (hex == null ? "null" : hex.length() + " characters"));
        }
        try {
            return new ContentHash(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("a content hash has 64 hexadecimal digits, but got '" + hex + "'");
        }
    }

    /**
     * The 32 bytes (a copy).
     *
     * @return the 32 bytes (a copy)
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The 64 lower-case hexadecimal digits.
     *
     * @return the 64 lower-case hexadecimal digits
     */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentHash other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "sha256:" + hex();
    }
}
