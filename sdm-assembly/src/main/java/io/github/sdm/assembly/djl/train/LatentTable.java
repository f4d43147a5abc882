package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import io.github.sdm.unet.djl.vae.LatentDistribution;
import java.util.ArrayList;
import java.util.List;

/**
 * The frozen VAE's posterior (mean and standard deviation) of every training picture, computed once before
 * stage 2: the UNet's training then samples latents from it without running the encoder each step.
 */
public final class LatentTable {
    private static final int ENCODE_BATCH = 64;

    private final List<float[]> means;
    private final List<float[]> stds;
    private final long[] latentShape;

    private LatentTable(List<float[]> means, List<float[]> stds, long[] latentShape) {
        this.means = means;
        this.stds = stds;
        this.latentShape = latentShape;
    }

    /** Encodes {@code pixels} (planar RGB bytes {@code [3, size, size]}) in inference passes. */
    public static LatentTable encode(AutoencoderKL vae, List<byte[]> pixels, int size) {
        List<float[]> means = new ArrayList<>(pixels.size());
        List<float[]> stds = new ArrayList<>(pixels.size());
        long[] shape = null;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int from = 0; from < pixels.size(); from += ENCODE_BATCH) {
                int to = Math.min(pixels.size(), from + ENCODE_BATCH);
                int[] indices = java.util.stream.IntStream.range(from, to).toArray();
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray images = VaeStage.imageBatch(pixels, indices, size, scratch);
                    LatentDistribution posterior = vae.encode(images);
                    float[] mean = posterior.mean().toFloatArray();
                    float[] std = posterior.std().toFloatArray();
                    long[] full = posterior.mean().getShape().getShape();
                    shape = new long[] {full[1], full[2], full[3]};
                    int each = mean.length / indices.length;
                    for (int i = 0; i < indices.length; i++) {
                        means.add(java.util.Arrays.copyOfRange(mean, i * each, (i + 1) * each));
                        stds.add(java.util.Arrays.copyOfRange(std, i * each, (i + 1) * each));
                    }
                }
            }
        }
        return new LatentTable(means, stds, shape);
    }

    public int size() {
        return means.size();
    }

    /** {@code [channels, height, width]} of one picture's latents. */
    public long[] latentShape() {
        return latentShape.clone();
    }

    public float[] mean(int index) {
        return means.get(index);
    }

    public float[] std(int index) {
        return stds.get(index);
    }

    /**
     * {@code 1 / std} of all latent means: the {@code scaling_factor} that gives the UNet unit-variance
     * latents, measured as Stable Diffusion's 0.18215 was.
     */
    public double unitVarianceScale() {
        double sum = 0;
        double sumSquares = 0;
        long count = 0;
        for (float[] mean : means) {
            for (float v : mean) {
                sum += v;
                sumSquares += (double) v * v;
                count++;
            }
        }
        double average = sum / count;
        return 1 / Math.sqrt(sumSquares / count - average * average);
    }
}
