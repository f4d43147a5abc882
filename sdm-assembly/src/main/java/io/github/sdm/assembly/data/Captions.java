package io.github.sdm.assembly.data;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The caption rules (documented in {@code docs/training.md}).
 *
 * <p>The <b>name</b> is {@code emoji.json}'s {@code name} in lower case ("RED APPLE" is "red apple"); a
 * skin-tone variation appends its tones, named as Unicode names them ("father christmas, medium skin tone";
 * two tones are joined by " and "). The <b>category</b> is {@code category} in lower case ("animals &amp; nature").
 * The <b>style</b> is "twemoji" or "noto". Each picture has four captions, {@link #forms}:
 * <ol start="0">
 *   <li>{@code <name>}: "red apple"</li>
 *   <li>{@code <name>, <style>}: "red apple, noto"</li>
 *   <li>{@code a <name>, <category>}: "a red apple, food &amp; drink" ("an" before a vowel)</li>
 *   <li>{@code a <name>, <style>, <category>}: "a red apple, twemoji, food &amp; drink"</li>
 * </ol>
 * Training draws one of the four at random for every picture it shows, and the empty caption instead with
 * the classifier-free guidance drop probability.
 */
public final class Captions {
    /** How many caption forms each picture has. */
    public static final int FORMS = 4;

    private static final Map<String, String> SKIN_TONES = Map.of(
            "1F3FB", "light skin tone",
            "1F3FC", "medium-light skin tone",
            "1F3FD", "medium skin tone",
            "1F3FE", "medium-dark skin tone",
            "1F3FF", "dark skin tone");

    private Captions() {
    }

    /** The name part: {@code name} in lower case, plus the tones of a skin-tone variation key (may be null). */
    public static String name(String emojiName, String skinVariationKey) {
        String name = emojiName.toLowerCase(Locale.ROOT).trim();
        if (skinVariationKey == null) {
            return name;
        }
        List<String> tones = java.util.Arrays.stream(skinVariationKey.split("-"))
                .map(code -> {
                    String tone = SKIN_TONES.get(code.toUpperCase(Locale.ROOT));
                    if (tone == null) {
                        throw new IllegalArgumentException("skin variation '" + skinVariationKey
                                + "' of '" + emojiName + "': unknown skin tone code " + code);
                    }
                    return tone;
                })
                .distinct()
                .toList();
        return name + ", " + String.join(" and ", tones);
    }

    /** Caption form {@code form} (0 to 3, see the class comment) of {@code image}. */
    public static String caption(EmojiImage image, int form) {
        String style = image.style().captionWord();
        return switch (form) {
            case 0 -> image.name();
            case 1 -> image.name() + ", " + style;
            case 2 -> article(image.name()) + image.name() + ", " + image.category();
            case 3 -> article(image.name()) + image.name() + ", " + style + ", " + image.category();
            default -> throw new IllegalArgumentException("caption form must be 0.." + (FORMS - 1) + ", got " + form);
        };
    }

    /** All four captions of {@code image}, in form order. */
    public static List<String> forms(EmojiImage image) {
        return java.util.stream.IntStream.range(0, FORMS).mapToObj(f -> caption(image, f)).toList();
    }

    private static String article(String name) {
        return !name.isEmpty() && "aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ";
    }
}
