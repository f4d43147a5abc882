package io.github.sdm.bench.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalTest {
    private static final List<float[]> GALLERY = List.of(
            new float[] {0, 0}, new float[] {1, 0}, new float[] {0, 1}, new float[] {1, 1},
            new float[] {5, 5}, new float[] {6, 5}, new float[] {5, 6}, new float[] {9, 9});

    @Test
    void exactCopiesAreAllFoundFirst() {
        int[] truth = {0, 1, 2, 3, 4, 5, 6, 7};
        Retrieval.Accuracy accuracy = Retrieval.measure(GALLERY, truth, GALLERY);
        assertEquals(1.0, accuracy.top1());
        assertEquals(1.0, accuracy.top5());
        assertEquals(8, accuracy.queries());
    }

    @Test
    void aQueryNearAnotherPictureMissesTopOneButCountsByRank() {
        // near (9, 9) but labelled (0, 0): seven gallery pictures are nearer than the true one
        assertEquals(7, Retrieval.rank(new float[] {9, 9}, 0, GALLERY));
        // near (1, 1) labelled (0, 0): (1, 1), (1, 0) and (0, 1) are nearer, so rank 3: a top-5 hit only
        assertEquals(3, Retrieval.rank(new float[] {0.9f, 0.9f}, 0, GALLERY));
        // a tie with the true picture counts for the prompt
        assertEquals(0, Retrieval.rank(new float[] {0.5f, 0}, 0, GALLERY));
        Retrieval.Accuracy accuracy = Retrieval.measure(List.of(new float[] {9, 9}, new float[] {0.9f, 0.9f}),
                new int[] {0, 0}, GALLERY);
        assertEquals(0.0, accuracy.top1());
        assertEquals(0.5, accuracy.top5());
    }

    @Test
    void chanceIsOneOrFiveInTheGallerySize() {
        Retrieval.Accuracy accuracy = new Retrieval.Accuracy(1, 0, 0, 7600);
        assertEquals(1.0 / 7600, accuracy.chanceTop1());
        assertEquals(5.0 / 7600, accuracy.chanceTop5());
        assertEquals(1.0, new Retrieval.Accuracy(1, 0, 0, 3).chanceTop5());
    }
}
