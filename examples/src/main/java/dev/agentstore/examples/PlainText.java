package dev.agentstore.examples;

import java.util.regex.Pattern;

/** Plain text from HTML, crudely: drops scripts, styles and tags, decodes the common entities. */
final class PlainText {

    private static final Pattern INVISIBLE = Pattern.compile("(?is)<(script|style|head)\\b.*?</\\1\\s*>");
    private static final Pattern BLOCK_END = Pattern.compile("(?i)</?(p|div|br|li|h[1-6]|tr|section|article)\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private PlainText() {
    }

    static String fromHtml(String html) {
        String s = INVISIBLE.matcher(html).replaceAll(" ");
        s = BLOCK_END.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        return s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }
}
