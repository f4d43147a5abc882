package io.github.sdm.samplers;

import java.util.ArrayList;
import java.util.List;

/** Replays a fixed list of noise arrays, one per draw, failing loudly on a shape mismatch or when exhausted. */
final class RecordedNoise implements NoiseSource {

    private final List<float[]> draws;
    private int next;

    RecordedNoise(List<float[]> draws) {
        this.draws = new ArrayList<>(draws);
    }

    @Override
    public void fill(float[] target) {
        if (next >= draws.size()) {
            throw new IllegalStateException("recorded noise exhausted: the sampler asked for draw #" + (next + 1)
                    + " but only " + draws.size() + " were recorded");
        }
        float[] draw = draws.get(next);
        if (draw.length != target.length) {
            throw new IllegalArgumentException("recorded noise draw #" + (next + 1) + " has " + draw.length
                    + " values but the sampler needs " + target.length);
        }
        System.arraycopy(draw, 0, target, 0, target.length);
        next++;
    }
}
