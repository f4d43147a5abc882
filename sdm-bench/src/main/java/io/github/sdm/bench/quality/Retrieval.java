package io.github.sdm.bench.quality;

import java.util.List;

/**
 * Prompt fidelity as retrieval: for each generated picture, the rank of the picture whose caption was the
 * prompt among all the gallery's pictures, ordered by distance to the generated one. A hit at k when fewer
 * than k gallery pictures are strictly nearer than the true one (ties count for the prompt).
 */
public final class Retrieval {

    /**
     * @param queries how many generated pictures were ranked
     * @param top1 the fraction whose true picture is the nearest
     * @param top5 the fraction whose true picture is among the five nearest
     * @param gallery how many pictures they were ranked against
     */
    public record Accuracy(int queries, double top1, double top5, int gallery) {
        /** What top-1 a random guess gets: one in the gallery's size. */
        public double chanceTop1() {
            return 1.0 / gallery;
        }

        /** What top-5 a random guess gets. */
        public double chanceTop5() {
            return Math.min(5, gallery) / (double) gallery;
        }
    }

    private Retrieval() {
    }

    /** Ranks each of {@code queries} against {@code gallery}; {@code truth[i]} is the gallery index of query i. */
    public static Accuracy measure(List<float[]> queries, int[] truth, List<float[]> gallery) {
        if (queries.size() != truth.length) {
            throw new IllegalArgumentException(queries.size() + " queries but " + truth.length + " true indices");
        }
        int top1 = 0;
        int top5 = 0;
        for (int q = 0; q < queries.size(); q++) {
            int rank = rank(queries.get(q), truth[q], gallery);
            top1 += rank < 1 ? 1 : 0;
            top5 += rank < 5 ? 1 : 0;
        }
        int n = Math.max(1, queries.size());
        return new Accuracy(queries.size(), top1 / (double) n, top5 / (double) n, gallery.size());
    }

    /** How many gallery pictures are strictly nearer to {@code query} than the true one. */
    static int rank(float[] query, int truth, List<float[]> gallery) {
        double trueDistance = PixelEmbedding.squaredDistance(query, gallery.get(truth));
        int nearer = 0;
        for (float[] candidate : gallery) {
            if (PixelEmbedding.squaredDistance(query, candidate) < trueDistance) {
                nearer++;
            }
        }
        return nearer;
    }
}
