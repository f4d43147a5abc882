package io.github.sdm.assembly.djl.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sdm.assembly.data.EmojiPixels;
import io.github.sdm.assembly.data.EpochOrder;
import io.github.sdm.assembly.data.StepRandom;
import io.github.sdm.unet.djl.nn.EngineScalars;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import io.github.sdm.unet.djl.vae.LatentDistribution;
import java.util.List;
import java.util.Map;

/**
 * Stage 1: the autoencoder. Loss = mean squared reconstruction error of a posterior sample's decoding, in
 * [-1, 1] pixels, plus {@code klWeight} times the KL divergence to the unit Gaussian averaged per latent
 * element, {@code 0.5 * mean(mu^2 + sigma^2 - 1 - log sigma^2)}.
 */
public final class VaeStage implements TrainingStage {
    public static final double DEFAULT_KL_WEIGHT = 1e-4;
    private static final ForwardContext TRAINING = ForwardContext.DEFAULT.withTraining(true);

    private final AutoencoderKL vae;
    private final TrainedNetworks networks;
    private final List<byte[]> pixels;
    private final int size;
    private final double klWeight;
    private final long seed;
    private final EpochOrder order;

    /**
     * @param pixels the training pictures, planar RGB bytes {@code [3, size, size]} each
     */
    public VaeStage(AutoencoderKL vae, List<byte[]> pixels, int size, double klWeight, long seed) {
        this.vae = vae;
        this.networks = new TrainedNetworks(Map.of(ComponentFolders.VAE, vae));
        this.pixels = List.copyOf(pixels);
        this.size = size;
        this.klWeight = klWeight;
        this.seed = seed;
        this.order = new EpochOrder(pixels.size(), seed);
    }

    @Override
    public String name() {
        return ComponentFolders.VAE;
    }

    @Override
    public TrainedNetworks networks() {
        return networks;
    }

    @Override
    public float forwardBackward(long step, int batchSize, NDManager scratch) {
        NDArray images = imageBatch(pixels, order.batch(step, batchSize), size, scratch);
        int latentSide = size / vae.config().downscaleFactor();
        int latentCount = batchSize * vae.config().latentChannels() * latentSide * latentSide;
        NDArray noise = scratch.create(StepRandom.gaussian(StepRandom.of(seed, step, StepRandom.POSTERIOR),
                latentCount), new Shape(batchSize, vae.config().latentChannels(), latentSide, latentSide));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            LatentDistribution posterior = vae.encode(images, TRAINING);
            NDArray reconstruction = vae.decode(posterior.sample(noise), TRAINING);
            NDArray mse = reconstruction.sub(images).square().mean();
            NDArray mean = posterior.mean();
            NDArray logvar = posterior.logvar();
            NDArray kl = EngineScalars.times(mean.square().add(logvar.exp()).sub(1f).sub(logvar).mean(), 0.5f);
            NDArray loss = mse.add(EngineScalars.times(kl, (float) klWeight));
            collector.backward(loss);
            return loss.getFloat();
        }
    }

    /** The pictures at {@code indices} as a float batch {@code [B, 3, size, size]} in [-1, 1]. */
    static NDArray imageBatch(List<byte[]> pixels, int[] indices, int size, NDManager manager) {
        int each = 3 * size * size;
        float[] batch = new float[indices.length * each];
        for (int i = 0; i < indices.length; i++) {
            EmojiPixels.toSignedUnitRange(pixels.get(indices[i]), batch, i * each);
        }
        return manager.create(batch, new Shape(indices.length, 3, size, size));
    }
}
