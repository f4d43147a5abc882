package io.github.sdm.bench.quality;

import io.github.sdm.assembly.data.Captions;
import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.data.EmojiImage;
import io.github.sdm.core.error.SdmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed prompt set: {@code perGroup} pictures evenly spaced through the training list and as many through
 * the held-out list (both lists run style by style, so both styles are drawn), each prompted with its caption
 * {@code "<name>, <style>"} (caption form 1) and seeded {@code seed + index}. Same data, same set, anywhere.
 * With {@link Spread#EMOJI} the pictures are spaced through each list's emoji instead, skipping skin-tone
 * variations, so every emoji name weighs the same (the plain set follows the data, over half of which is
 * skin-tone variations of people).
 */
public final class QualityPrompts {
    /** The caption form used: {@code "<name>, <style>"}, so the prompt names one picture of the gallery. */
    public static final int CAPTION_FORM = 1;

    /** What the prompts are spread over ({@code --spread}). */
    public enum Spread {
        /** Every picture of the list, skin-tone variations included: the set follows the data (the default). */
        PICTURES,
        /** Only the pictures that are not a skin-tone variation: one picture per emoji and style. */
        EMOJI;

        /** The command-line spelling. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One prompt of the set. */
    public record Prompt(String caption, EmojiImage target, boolean heldOut, long seed) {
    }

    private QualityPrompts() {
    }

    public static List<Prompt> of(EmojiDataset data, int perGroup, long seed) {
        return of(data, perGroup, seed, Spread.PICTURES);
    }

    public static List<Prompt> of(EmojiDataset data, int perGroup, long seed, Spread spread) {
        if (perGroup < 1) {
            throw new IllegalArgumentException("--prompts must be at least 1, got " + perGroup);
        }
        List<Prompt> prompts = new ArrayList<>();
        for (EmojiImage image : evenlySpaced(spreadOver(data.training(), spread), perGroup)) {
            prompts.add(new Prompt(Captions.caption(image, CAPTION_FORM), image, false, seed + prompts.size()));
        }
        for (EmojiImage image : evenlySpaced(spreadOver(data.heldOut(), spread), perGroup)) {
            prompts.add(new Prompt(Captions.caption(image, CAPTION_FORM), image, true, seed + prompts.size()));
        }
        if (prompts.isEmpty()) {
            throw new SdmException("emoji data folder " + data.root() + " holds no pictures to prompt for");
        }
        return prompts;
    }

    /** The pictures of {@code images} that {@code spread} draws from, in order. */
    static List<EmojiImage> spreadOver(List<EmojiImage> images, Spread spread) {
        return spread == Spread.PICTURES ? images
                : images.stream().filter(image -> image.unified().equals(image.baseUnified())).toList();
    }

    /** {@code count} items at even steps through {@code items} (all of them when there are fewer). */
    static <T> List<T> evenlySpaced(List<T> items, int count) {
        if (items.size() <= count) {
            return items;
        }
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(items.get((int) ((long) i * items.size() / count)));
        }
        return out;
    }
}
