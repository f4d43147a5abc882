package io.github.sdm.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte-to-character table of GPT-2 and CLIP ({@code bytes_to_unicode}): printable Latin-1 bytes stand
 * for themselves, the other 68 bytes for the characters from U+0100 up, so every UTF-8 byte sequence is a
 * string of visible characters the BPE vocabulary can hold.
 */
final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The UTF-8 bytes of {@code text}, one character per byte. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
        }
        return new String(chars);
    }

    /** The inverse of {@link #encode}; characters outside the table are skipped, bad UTF-8 becomes U+FFFD. */
    static String decode(CharSequence encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c < CHAR_TO_BYTE.length && CHAR_TO_BYTE[c] >= 0) {
                bytes.write(CHAR_TO_BYTE[c]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
