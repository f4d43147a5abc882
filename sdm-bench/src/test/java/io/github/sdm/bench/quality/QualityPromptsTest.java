package io.github.sdm.bench.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sdm.assembly.data.EmojiImage;
import io.github.sdm.assembly.data.EmojiStyle;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityPromptsTest {

    @Test
    void evenlySpacedPicksStepThroughTheWholeList() {
        List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertEquals(List.of(0, 5), QualityPrompts.evenlySpaced(items, 2));
        assertEquals(List.of(0, 3, 6), QualityPrompts.evenlySpaced(items, 3));
        assertEquals(items, QualityPrompts.evenlySpaced(items, 10));
        assertEquals(items, QualityPrompts.evenlySpaced(items, 32));
    }

    @Test
    void theEmojiSpreadSkipsSkinToneVariations() {
        List<EmojiImage> images = List.of(picture("1F436", "1F436"), picture("1F385", "1F385"),
                picture("1F385-1F3FB", "1F385"), picture("1F385-1F3FF", "1F385"), picture("1F600", "1F600"));
        assertEquals(images, QualityPrompts.spreadOver(images, QualityPrompts.Spread.PICTURES));
        assertEquals(List.of("1F436", "1F385", "1F600"),
                QualityPrompts.spreadOver(images, QualityPrompts.Spread.EMOJI).stream().map(EmojiImage::unified)
                        .toList());
    }

    private static EmojiImage picture(String unified, String base) {
        return new EmojiImage(unified, base, unified, "people & body", EmojiStyle.TWEMOJI, null);
    }
}
