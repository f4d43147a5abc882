package io.github.sdm.assembly.data;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The emoji training never sees: those whose base code points ({@code emoji.json}'s {@code unified}, upper
 * case, e.g. {@code 1F436}) have a 32-bit FNV-1a hash (of the UTF-8 bytes) divisible by {@value #MODULUS}.
 * About one emoji in ten: 177 of the 1,911 base emoji of emoji-datasource 16.0.0, each in both styles, with
 * all its skin-tone variations. The rule needs no list, so it holds for any version of the data; the list it
 * gives for 16.0.0 is {@code docs/emoji-held-out.txt}.
 */
public final class HeldOutSet {
    public static final int MODULUS = 10;

    private HeldOutSet() {
    }

    public static boolean isHeldOut(String baseUnified) {
        return Integer.remainderUnsigned(fnv1a(baseUnified.toUpperCase(Locale.ROOT)), MODULUS) == 0;
    }

    /** 32-bit FNV-1a of the UTF-8 bytes. */
    static int fnv1a(String text) {
        int hash = 0x811c9dc5;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }
}
