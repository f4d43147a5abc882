package io.github.sdm.bench.quality;

/** The fixed image embedding fidelity and realism are measured under; compared by Euclidean (L2) distance. */
public interface ImageEmbedding {

    /** What the report says the embedding is. */
    String description();

    /** The side at which the real emoji are read (box-averaged from 64) for a model that draws {@code generatedSide}. */
    int realSide(int generatedSide);

    /** Embeds one planar RGB picture {@code [3, side, side]} in [0, 1]. */
    float[] embed(float[] chw, int side);
}
