package io.github.sdm.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One real-size SD 1.5 network with seeded random weights and fixed seeded inputs; each {@link #get()} is
 * one call (a UNet forward with guidance-sized batch, or a VAE decode) and returns its output.
 *
 * <p>Only public API is used, so {@link AbHarness} can load this class next to two builds of sdm-unet.
 */
public final class NetworkRunner implements Supplier<float[]>, AutoCloseable {
    private final NDManager manager = NDManager.newBaseManager();
    private final UNet2DConditionModel unet;
    private final AutoencoderKL vae;
    private final NDArray sample;
    private final NDArray timestep;
    private final NDArray context;
    private ForwardContext forwardContext = ForwardContext.DEFAULT;

    /**
     * @param network {@code unet} or {@code vae} (decode)
     * @param latent the latent height and width (64 for 512x512 pixels)
     * @param batch 2 for one guided UNet call
     */
    public NetworkRunner(String network, int latent, int batch, int sliceSize) {
        SplittableRandom random = new SplittableRandom(42);
        sample = gaussian(random, new Shape(batch, 4, latent, latent));
        if (network.equals("unet")) {
            unet = UNet2DConditionModel.random(UNetConfig.stableDiffusion15(), 1234, manager);
            vae = null;
            timestep = manager.create(new float[] {981f});
            context = gaussian(random, new Shape(batch, 77, 768));
        } else if (network.equals("vae")) {
            vae = AutoencoderKL.random(AutoencoderKLConfig.stableDiffusion15(), 1234, manager);
            unet = null;
            timestep = null;
            context = null;
        } else {
            throw new IllegalArgumentException("network must be unet or vae, got " + network);
        }
        forwardContext = forwardContext.withAttentionSliceSize(sliceSize);
    }

    private NDArray gaussian(SplittableRandom random, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i += 2) {
            // Box-Muller: a fixed, engine-independent normal sample
            double r = Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
            double phi = 2 * Math.PI * random.nextDouble();
            values[i] = (float) (r * Math.cos(phi));
            if (i + 1 < values.length) {
                values[i + 1] = (float) (r * Math.sin(phi));
            }
        }
        return manager.create(values, shape);
    }

    /** Routes later calls through {@code interceptor} (profiling). */
    public void intercept(PartInterceptor interceptor) {
        forwardContext = forwardContext.withInterceptor(interceptor);
    }

    @Override
    public float[] get() {
        NDArray out = unet != null ? unet.forward(sample, timestep, context, forwardContext)
                : vae.decode(sample, forwardContext);
        float[] values = out.toFloatArray();
        out.close();
        return values;
    }

    @Override
    public void close() {
        if (unet != null) {
            unet.close();
        }
        if (vae != null) {
            vae.close();
        }
        manager.close();
    }
}
