package io.github.sdm.assembly.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.SdmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmojiDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsBothStylesWithVariationsAndSplitsOffTheHeldOutEmoji() throws IOException {
        EmojiDataset dataset = EmojiDataset.load(SyntheticEmoji.write(dir));
        // twemoji: 4 emoji (no globe) + 2 variations; noto: 5 + 2; red apple (held out) in both styles
        assertEquals(List.of("1F34E", "1F34E"), dataset.heldOut().stream().map(EmojiImage::unified).toList());
        assertEquals(List.of(EmojiStyle.TWEMOJI, EmojiStyle.NOTO),
                dataset.heldOut().stream().map(EmojiImage::style).toList());
        assertEquals(List.of("1F436", "1F600", "1F385", "1F385-1F3FB", "1F385-1F3FF",
                        "1F436", "1F600", "1F385", "1F385-1F3FB", "1F385-1F3FF", "1F30D"),
                dataset.training().stream().map(EmojiImage::unified).toList());
        EmojiImage variation = dataset.training().get(4);
        assertEquals("father christmas, dark skin tone", variation.name());
        assertEquals("1F385", variation.baseUnified());
        assertEquals("people & body", variation.category());
    }

    @Test
    void captionFormsFollowTheDocumentedRules() throws IOException {
        EmojiDataset dataset = EmojiDataset.load(SyntheticEmoji.write(dir));
        assertEquals(List.of("red apple", "red apple, twemoji", "a red apple, food & drink",
                "a red apple, twemoji, food & drink"), Captions.forms(dataset.heldOut().get(0)));
        EmojiImage globe = dataset.training().get(10);
        assertEquals("an earth globe europe-africa, noto, travel & places", Captions.caption(globe, 3));
        assertEquals("father christmas, light skin tone and dark skin tone", Captions.name("FATHER CHRISTMAS",
                "1F3FB-1F3FF"));
        assertThrows(IllegalArgumentException.class, () -> Captions.name("X", "1F3FA"));
    }

    @Test
    void pixelsAreCompositedOverWhiteAndBoxAveraged() throws IOException {
        EmojiDataset dataset = EmojiDataset.load(SyntheticEmoji.write(dir));
        EmojiImage dog = dataset.training().get(0); // twemoji: disc inset 12 of colour c08040
        byte[] full = EmojiPixels.read(dog.file(), 64);
        byte[] quarter = EmojiPixels.read(dog.file(), 16);
        assertEquals(3 * 64 * 64, full.length);
        assertEquals(255, full[0] & 0xff, "a transparent corner is white");
        int centre = 32 * 64 + 32;
        assertArrayEquals(new int[] {0xc0, 0x80, 0x40}, new int[] {full[centre] & 0xff,
                full[4096 + centre] & 0xff, full[8192 + centre] & 0xff});
        // 16 px: each pixel is the mean of a 4x4 block of the 64 px image
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    double sum = 0;
                    for (int dy = 0; dy < 4; dy++) {
                        for (int dx = 0; dx < 4; dx++) {
                            sum += full[c * 4096 + (4 * y + dy) * 64 + 4 * x + dx] & 0xff;
                        }
                    }
                    // composited sums are averaged before rounding, so within half a level of the rounded mean
                    assertEquals(sum / 16, quarter[c * 256 + y * 16 + x] & 0xff, 0.5 + 1e-9);
                }
            }
        }
        float[] signed = new float[full.length];
        EmojiPixels.toSignedUnitRange(full, signed, 0);
        assertEquals(1f, signed[0]);
        assertThrows(SdmException.class, () -> EmojiPixels.read(dog.file(), 48));
    }

    @Test
    void aMissingImageOrFolderIsNamed() throws IOException {
        Path root = SyntheticEmoji.write(dir);
        SdmException none = assertThrows(SdmException.class, () -> EmojiDataset.load(dir.resolve("nothing")));
        assertTrue(none.getMessage().contains("scripts/fetch-emoji"), none.getMessage());
        Path image = root.resolve("emoji-datasource-google/img/google/64/1f600.png");
        Files.delete(image);
        SdmException missing = assertThrows(SdmException.class, () -> EmojiDataset.load(root));
        assertTrue(missing.getMessage().contains(image.toString()), missing.getMessage());
    }

    @Test
    void theHeldOutRuleGivesTheDocumentedList() {
        // lines of docs/emoji-held-out.txt (emoji-datasource 16.0.0), and emoji that are trained on
        for (String heldOut : List.of("1F004", "1F1E6-1F1FA", "1F1EC-1F1E7", "1F34E")) {
            assertTrue(HeldOutSet.isHeldOut(heldOut), heldOut);
        }
        for (String trained : List.of("0023-FE0F-20E3", "1F436", "1F600", "1F385")) {
            assertFalse(HeldOutSet.isHeldOut(trained), trained);
        }
        assertEquals(0xe40c292c, HeldOutSet.fnv1a("a"), "FNV-1a 32 reference value");
    }

    @Test
    void epochOrderIsASeededPermutationPerEpoch() {
        EpochOrder order = new EpochOrder(7, 42);
        int[] first = new int[7];
        int[] second = new int[7];
        for (int i = 0; i < 7; i++) {
            first[i] = order.indexAt(i);
            second[i] = order.indexAt(7 + i);
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, java.util.Arrays.stream(first).sorted().toArray());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, java.util.Arrays.stream(second).sorted().toArray());
        assertFalse(java.util.Arrays.equals(first, second), "each epoch is shuffled anew");
        assertArrayEquals(new int[] {order.indexAt(9), order.indexAt(10), order.indexAt(11)}, order.batch(3, 3),
                "step 3 of batch 3 reads positions 9 to 11");
        assertArrayEquals(new EpochOrder(7, 42).batch(5, 3), order.batch(5, 3), "a fresh order at step 5 agrees");
        assertFalse(java.util.Arrays.equals(new EpochOrder(7, 43).batch(0, 7), order.batch(0, 7)), "seeded");
    }

    @Test
    void perEmojiOrderVisitsEveryEmojiOncePerEpochInEachStyle() throws IOException {
        List<EmojiImage> training = EmojiDataset.load(SyntheticEmoji.write(dir)).training();
        List<int[]> groups = EmojiDataset.emojiGroups(training);
        // twemoji dog, face, father christmas (3 tones), then the same in noto, then the noto globe
        assertEquals(List.of("[0]", "[1]", "[2, 3, 4]", "[5]", "[6]", "[7, 8, 9]", "[10]"),
                groups.stream().map(java.util.Arrays::toString).toList());
        EpochOrder order = DataOrder.PER_EMOJI.of(training, 42);
        assertEquals(groups.size(), order.epochLength());
        java.util.Set<Integer> christmasSeen = new java.util.TreeSet<>();
        for (long epoch = 0; epoch < 20; epoch++) {
            int[] visits = new int[groups.size()];
            for (int i = 0; i < groups.size(); i++) {
                int index = order.indexAt(epoch * groups.size() + i);
                int group = groupOf(groups, index);
                visits[group]++;
                if (group == 2) {
                    christmasSeen.add(index);
                }
            }
            assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1}, visits, "epoch " + epoch + ": each group once");
        }
        assertEquals(java.util.Set.of(2, 3, 4), christmasSeen, "every variation is drawn in some epoch");
        assertArrayEquals(DataOrder.PER_EMOJI.of(training, 42).batch(9, 4), order.batch(9, 4), "seeded, stateless");
    }

    @Test
    void singletonGroupsGiveExactlyThePlainOrder() {
        List<int[]> singletons = java.util.stream.IntStream.range(0, 7).mapToObj(i -> new int[] {i}).toList();
        EpochOrder grouped = EpochOrder.perGroup(singletons, 42);
        EpochOrder plain = new EpochOrder(7, 42);
        assertArrayEquals(plain.batch(0, 21), grouped.batch(0, 21));
        assertArrayEquals(plain.batch(0, 7), DataOrder.SHUFFLED.of(java.util.Collections.nCopies(7, null), 42)
                .batch(0, 7));
    }

    private static int groupOf(List<int[]> groups, int index) {
        for (int g = 0; g < groups.size(); g++) {
            for (int member : groups.get(g)) {
                if (member == index) {
                    return g;
                }
            }
        }
        throw new AssertionError(index + " is in no group");
    }
}
