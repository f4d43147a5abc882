package io.github.sdm.core.tokenizer;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The text cleanup of OpenAI CLIP's tokenizer without ftfy: {@code html.unescape} twice, strip,
 * collapse whitespace runs to one space, strip, lower-case. Whitespace follows Python exactly: runs
 * are Unicode White_Space (the {@code regex} module's {@code \s}), while {@code str.strip} also drops
 * the separators U+001C..U+001F.
 */
final class ClipTextCleaner {
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\p{IsWhite_Space}+");

    private ClipTextCleaner() {
    }

    static String clean(String text) {
        String unescaped = HtmlUnescape.unescape(HtmlUnescape.unescape(text));
        String collapsed = WHITESPACE_RUN.matcher(pythonStrip(unescaped)).replaceAll(" ");
        return pythonStrip(collapsed).toLowerCase(Locale.ROOT);
    }

    /** Python's {@code str.strip()}: removes characters for which {@code str.isspace()} holds. */
    static String pythonStrip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        // Every Python whitespace character is in the BMP.
        int type = Character.getType(c);
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85
                || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
