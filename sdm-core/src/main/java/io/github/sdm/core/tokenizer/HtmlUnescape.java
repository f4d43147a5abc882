package io.github.sdm.core.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port of Python's {@code html.unescape}, which CLIP's tokenizer applies to every prompt: all HTML5
 * named references (including the legacy ones without {@code ;}, matched by longest prefix), decimal
 * and hex references, and the same replacements for invalid code points (Windows-1252 for 0x80-0x9F,
 * U+FFFD for NUL, surrogates and values past U+10FFFF; other control and non-characters dropped).
 */
public final class HtmlUnescape {
    private static final Pattern CHARREF = Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final BigInteger MAX_CODE_POINT = BigInteger.valueOf(Character.MAX_CODE_POINT);
    private static final Map<String, String> ENTITIES = loadEntities();
    private static final Map<Integer, String> INVALID_CHARREFS = invalidCharrefs();

    private HtmlUnescape() {
    }

    public static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = CHARREF.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replace(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String replace(String ref) {
        if (ref.charAt(0) == '#') {
            boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
            String digits = ref.substring(hex ? 2 : 1);
            if (digits.endsWith(";")) {
                digits = digits.substring(0, digits.length() - 1);
            }
            BigInteger value = new BigInteger(digits, hex ? 16 : 10);
            if (value.compareTo(MAX_CODE_POINT) > 0) {
                return "\uFFFD";
            }
            int cp = value.intValueExact();
            String mapped = INVALID_CHARREFS.get(cp);
            if (mapped != null) {
                return mapped;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                return "\uFFFD";
            }
            if (isInvalidCodePoint(cp)) {
                return "";
            }
            return new String(Character.toChars(cp));
        }
        String named = ENTITIES.get(ref);
        if (named != null) {
            return named;
        }
        for (int x = ref.length() - 1; x > 1; x--) {
            String prefix = ENTITIES.get(ref.substring(0, x));
            if (prefix != null) {
                return prefix + ref.substring(x);
            }
        }
        return "&" + ref;
    }

    private static boolean isInvalidCodePoint(int cp) {
        return (cp >= 0x1 && cp <= 0x8) || cp == 0xB || (cp >= 0xE && cp <= 0x1F) || (cp >= 0x7F && cp <= 0x9F)
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }

    private static Map<Integer, String> invalidCharrefs() {
        // Python's html._invalid_charrefs: how browsers read references to C1 controls (as Windows-1252).
        int[] c1 = {0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
            0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
            0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178};
        Map<Integer, String> map = new HashMap<>();
        map.put(0x00, "\uFFFD");
        map.put(0x0D, "\r");
        for (int i = 0; i < c1.length; i++) {
            map.put(0x80 + i, String.valueOf((char) c1[i]));
        }
        return map;
    }

    private static Map<String, String> loadEntities() {
        Map<String, String> entities = new HashMap<>(4096);
        try (InputStream in = HtmlUnescape.class.getResourceAsStream("html5-entities.txt")) {
            if (in == null) {
                throw new IllegalStateException("html5-entities.txt is missing from the sdm-core jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                StringBuilder value = new StringBuilder();
                for (int i = 1; i < parts.length; i++) {
                    value.appendCodePoint(Integer.parseInt(parts[i], 16));
                }
                entities.put(parts[0], value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entities;
    }
}
