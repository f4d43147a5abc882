package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.assembly.data.EpochOrder;
import io.github.sdm.assembly.data.StepRandom;
import io.github.sdm.assembly.train.DiffusionNoise;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The inputs of a diffusion training step, drawn as Stable Diffusion 1.x trains: the step's pictures in
 * {@link EpochOrder}, a latent sampled from each picture's posterior and scaled, a timestep drawn uniformly from
 * the 1000 training steps, the noise {@code eps} and the noisy latents {@code sqrt(abar_t) z + sqrt(1 - abar_t)
 * eps} ({@link DiffusionNoise}), and a caption form, replaced by the empty caption with {@code dropProbability}
 * (classifier-free guidance training), tokenized as the pipeline tokenizes prompts (77 tokens, padded). Every
 * draw follows from the seed and the step ({@link StepRandom}). Shared by the UNet training stage and
 * distillation, which feed the same draws to teacher and student.
 */
public final class DiffusionBatches {
    private final LatentTable latents;
    private final float scalingFactor;
    private final List<List<String>> captions;
    private final ClipTokenizer tokenizer;
    private final double dropProbability;
    private final long seed;
    private final EpochOrder order;
    private final DiffusionNoise noise = DiffusionNoise.stableDiffusion();
    private final Map<String, long[]> tokenIds = new HashMap<>();

    /**
     * One step's inputs.
     *
     * @param noisyLatents {@code [B, C, H, W]}, the UNet's sample
     * @param noise {@code [B, C, H, W]}, the {@code eps} that was added (the target of an epsilon prediction)
     * @param timesteps {@code [B]}
     * @param inputIds {@code [B, 77]}, the captions' token ids
     */
    public record Batch(NDArray noisyLatents, NDArray noise, NDArray timesteps, NDArray inputIds) {
    }

    /**
     * @param latents the training pictures' posteriors
     * @param scalingFactor the VAE config's {@code scaling_factor}
     * @param captions for each picture (same order as {@code latents}), the caption forms to draw from
     */
    public DiffusionBatches(LatentTable latents, float scalingFactor, List<List<String>> captions,
            ClipTokenizer tokenizer, double dropProbability, long seed) {
        this(latents, scalingFactor, captions, tokenizer, dropProbability, seed, new EpochOrder(latents.size(), seed));
    }

    /** As above, visiting the pictures in {@code order} (indices into {@code latents}). */
    public DiffusionBatches(LatentTable latents, float scalingFactor, List<List<String>> captions,
            ClipTokenizer tokenizer, double dropProbability, long seed, EpochOrder order) {
        if (captions.size() != latents.size()) {
            throw new IllegalArgumentException(captions.size() + " caption lists for " + latents.size() + " pictures");
        }
        this.latents = latents;
        this.scalingFactor = scalingFactor;
        this.captions = List.copyOf(captions);
        this.tokenizer = tokenizer;
        this.dropProbability = dropProbability;
        this.seed = seed;
        this.order = order;
    }

    /** One picture's caption: a form drawn from {@code random}, then dropped with {@code dropProbability}. */
    private static String drawCaption(List<String> forms, SplittableRandom random, double dropProbability) {
        String caption = forms.get(random.nextInt(forms.size()));
        return random.nextDouble() < dropProbability ? "" : caption;
    }

    /** Step {@code step}'s (0-based) inputs, in {@code manager}. */
    public Batch draw(long step, int batchSize, NDManager manager) {
        int[] indices = order.batch(step, batchSize);
        long[] shape = latents.latentShape();
        int each = (int) (shape[0] * shape[1] * shape[2]);
        SplittableRandom captionRandom = StepRandom.of(seed, step, StepRandom.CAPTIONS);
        SplittableRandom timestepRandom = StepRandom.of(seed, step, StepRandom.TIMESTEPS);
        float[] eps = StepRandom.gaussian(StepRandom.of(seed, step, StepRandom.NOISE), batchSize * each);
        float[] posteriorNoise = StepRandom.gaussian(StepRandom.of(seed, step, StepRandom.POSTERIOR), batchSize * each);
        float[] noisy = new float[batchSize * each];
        float[] timesteps = new float[batchSize];
        long[] ids = new long[batchSize * tokenizer.maxLength()];
        for (int b = 0; b < batchSize; b++) {
            int index = indices[b];
            int t = timestepRandom.nextInt(noise.timesteps());
            timesteps[b] = t;
            float signal = noise.signalScale(t);
            float noiseScale = noise.noiseScale(t);
            float[] mean = latents.mean(index);
            float[] std = latents.std(index);
            for (int i = 0; i < each; i++) {
                int at = b * each + i;
                float clean = (mean[i] + std[i] * posteriorNoise[at]) * scalingFactor;
                noisy[at] = signal * clean + noiseScale * eps[at];
            }
            String caption = drawCaption(captions.get(index), captionRandom, dropProbability);
            long[] captionIds = tokenIds.computeIfAbsent(caption, tokenizer::inputIds);
            System.arraycopy(captionIds, 0, ids, b * captionIds.length, captionIds.length);
        }
        Shape latentBatch = new Shape(batchSize, shape[0], shape[1], shape[2]);
        return new Batch(manager.create(noisy, latentBatch), manager.create(eps, latentBatch),
                manager.create(timesteps), manager.create(ids, new Shape(batchSize, tokenizer.maxLength())));
    }
}
