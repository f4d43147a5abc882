package io.github.sdm.assembly.data;

import java.nio.file.Path;

/**
 * One picture of the dataset: an emoji (or one of its skin-tone variations) in one style.
 *
 * @param unified the code points of this picture, as {@code emoji.json} spells them ({@code 1F385-1F3FB})
 * @param baseUnified the code points of the base emoji (equal to {@code unified} unless a skin-tone variation);
 *     the held-out rule looks at this one, so an emoji's variations are held out with it
 * @param name the caption's name part (see {@link Captions})
 * @param category the category, lower case ("animals & nature")
 * @param style the artwork set
 * @param file the 64x64 PNG
 */
public record EmojiImage(String unified, String baseUnified, String name, String category, EmojiStyle style,
        Path file) {
}
