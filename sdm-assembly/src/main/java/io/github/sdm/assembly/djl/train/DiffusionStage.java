package io.github.sdm.assembly.djl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.github.sdm.assembly.data.EpochOrder;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.util.List;
import java.util.Map;

/**
 * Stage 2: the UNet and the text encoder together, on the frozen VAE's latents, with Stable Diffusion 1.x's
 * objective: regress the noise of the step's noisy latents ({@link DiffusionBatches}), loss =
 * {@code mean((eps_pred - eps)^2)}.
 */
public final class DiffusionStage implements TrainingStage {
    public static final double DEFAULT_DROP_PROBABILITY = 0.1;
    private static final ForwardContext TRAINING = ForwardContext.DEFAULT.withTraining(true);

    private final UNet2DConditionModel unet;
    private final CLIPTextModel textEncoder;
    private final TrainedNetworks networks;
    private final DiffusionBatches batches;

    /**
     * @param latents the training pictures' posteriors
     * @param scalingFactor the VAE config's {@code scaling_factor}
     * @param captions for each picture (same order as {@code latents}), the caption forms to draw from
     * @param order the order the pictures are visited in (indices into {@code latents})
     */
    public DiffusionStage(UNet2DConditionModel unet, CLIPTextModel textEncoder, LatentTable latents,
            float scalingFactor, List<List<String>> captions, ClipTokenizer tokenizer, double dropProbability,
            long seed, EpochOrder order) {
        this.batches = new DiffusionBatches(latents, scalingFactor, captions, tokenizer, dropProbability, seed, order);
        this.unet = unet;
        this.textEncoder = textEncoder;
        this.networks = new TrainedNetworks(Map.of(ComponentFolders.UNET, unet, ComponentFolders.TEXT_ENCODER,
                textEncoder));
    }

    @Override
    public String name() {
        return ComponentFolders.UNET;
    }

    @Override
    public TrainedNetworks networks() {
        return networks;
    }

    @Override
    public float forwardBackward(long step, int batchSize, NDManager scratch) {
        DiffusionBatches.Batch batch = batches.draw(step, batchSize, scratch);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray text = textEncoder.encode(batch.inputIds(), TRAINING);
            NDArray prediction = unet.forward(batch.noisyLatents(), batch.timesteps(), text, TRAINING);
            NDArray loss = prediction.sub(batch.noise()).square().mean();
            collector.backward(loss);
            return loss.getFloat();
        }
    }
}
