package io.github.sdm.assembly.data;

import java.util.List;
import java.util.Locale;

/** How training orders the emoji pictures each epoch ({@code sdm train unet --order}). */
public enum DataOrder {
    /** Every picture once per epoch: an emoji with five skin tones is shown six times as often as one without. */
    SHUFFLED,
    /** Every emoji once per epoch in each style, as one of its skin-tone variations: each name equally often. */
    PER_EMOJI;

    /** The epoch order of {@code images} under this rule. */
    public EpochOrder of(List<EmojiImage> images, long seed) {
        return this == SHUFFLED ? new EpochOrder(images.size(), seed)
                : EpochOrder.perGroup(EmojiDataset.emojiGroups(images), seed);
    }

    /** The command-line spelling: {@code shuffled}, {@code per-emoji}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
