package io.github.sdm.assembly.djl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sdm.assembly.data.EpochOrder;
import io.github.sdm.assembly.data.StepRandom;
import io.github.sdm.assembly.train.DiffusionNoise;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Stage 2: the UNet and the text encoder together, on the frozen VAE's latents, with Stable Diffusion 1.x's
 * objective: draw a timestep uniformly from the 1000 training steps, noise the scaled latents as DDPM does
 * ({@link DiffusionNoise}) and regress the noise, loss = {@code mean((eps_pred - eps)^2)}. For each picture a
 * caption form is drawn, and replaced by the empty caption with {@code dropProbability} (classifier-free
 * guidance training), tokenized as the pipeline tokenizes prompts (77 tokens, padded).
 */
public final class DiffusionStage implements TrainingStage {
    public static final double DEFAULT_DROP_PROBABILITY = 0.1;
    private static final ForwardContext TRAINING = ForwardContext.DEFAULT.withTraining(true);

    private final UNet2DConditionModel unet;
    private final CLIPTextModel textEncoder;
    private final TrainedNetworks networks;
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
     * @param latents the training pictures' posteriors
     * @param scalingFactor the VAE config's {@code scaling_factor}
     * @param captions for each picture (same order as {@code latents}), the caption forms to draw from
     */
    public DiffusionStage(UNet2DConditionModel unet, CLIPTextModel textEncoder, LatentTable latents,
            float scalingFactor, List<List<String>> captions, ClipTokenizer tokenizer, double dropProbability,
            long seed) {
        if (captions.size() != latents.size()) {
            throw new IllegalArgumentException(captions.size() + " caption lists for " + latents.size() + " pictures");
        }
        this.unet = unet;
        this.textEncoder = textEncoder;
        this.networks = new TrainedNetworks(Map.of(ComponentFolders.UNET, unet, ComponentFolders.TEXT_ENCODER,
                textEncoder));
        this.latents = latents;
        this.scalingFactor = scalingFactor;
        this.captions = List.copyOf(captions);
        this.tokenizer = tokenizer;
        this.dropProbability = dropProbability;
        this.seed = seed;
        this.order = new EpochOrder(latents.size(), seed);
    }

    @Override
    public String name() {
        return ComponentFolders.UNET;
    }

    @Override
    public TrainedNetworks networks() {
        return networks;
    }

    /** The caption step {@code step} shows for batch element {@code i} (drawn as the step draws it). */
    static String drawCaption(List<String> forms, SplittableRandom random, double dropProbability) {
        String caption = forms.get(random.nextInt(forms.size()));
        return random.nextDouble() < dropProbability ? "" : caption;
    }

    @Override
    public float forwardBackward(long step, int batchSize, NDManager scratch) {
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
        NDArray sample = scratch.create(noisy, latentBatch);
        NDArray target = scratch.create(eps, latentBatch);
        NDArray t = scratch.create(timesteps);
        NDArray inputIds = scratch.create(ids, new Shape(batchSize, tokenizer.maxLength()));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray text = textEncoder.encode(inputIds, TRAINING);
            NDArray prediction = unet.forward(sample, t, text, TRAINING);
            NDArray loss = prediction.sub(target).square().mean();
            collector.backward(loss);
            return loss.getFloat();
        }
    }
}
