package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.InputShapeException;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;

/**
 * diffusers' {@code AutoencoderKL} (v0.27.2), the Stable Diffusion VAE: {@code encoder} + {@code quant_conv}
 * turn an image in {@code [-1, 1]} into a diagonal Gaussian over latents; {@code post_quant_conv} +
 * {@code decoder} turn latents back into an image. The pipeline's {@code scaling_factor} is not applied
 * here ({@link AutoencoderKLConfig#scalingFactor()}).
 *
 * <p>Owns its weights (in a sub-manager of the manager given at load); {@link #close()} frees them.
 */
public final class AutoencoderKL extends Network {
    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "diffusion_pytorch_model.safetensors";
    private static final double LOGVAR_MIN = -30.0;
    private static final double LOGVAR_MAX = 20.0;

    private final AutoencoderKLConfig config;
    private final VaeEncoder encoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;
    private final VaeDecoder decoder;

    /** The architecture only; weights come from {@link #load} or {@link #random}. */
    public AutoencoderKL(AutoencoderKLConfig config) {
        this.config = config;
        int latent = config.latentChannels();
        encoder = child(new VaeEncoder("encoder", config));
        quantConv = child(new Conv2d("quant_conv", 2 * latent, 2 * latent, 1, 1, 0));
        postQuantConv = child(new Conv2d("post_quant_conv", latent, latent, 1, 1, 0));
        decoder = child(new VaeDecoder("decoder", config));
    }

    /** Reads {@code config.json} and {@code diffusion_pytorch_model.safetensors} of a diffusers VAE folder. */
    public static AutoencoderKL load(Path componentFolder, NDManager manager) {
        AutoencoderKLConfig config = AutoencoderKLConfig.read(componentFolder.resolve(CONFIG_FILE));
        return fromComponentFolder(componentFolder, weights -> load(config, weights, manager));
    }

    /** Builds {@code config}'s VAE with weights from any source (e.g. a single-file checkpoint's view). */
    public static AutoencoderKL load(AutoencoderKLConfig config, WeightSource weights, NDManager manager) {
        return load(config, weights, manager, Precision.FP32);
    }

    /** {@link #load(AutoencoderKLConfig, WeightSource, NDManager)} with the weights held as {@code storage}. */
    public static AutoencoderKL load(AutoencoderKLConfig config, WeightSource weights, NDManager manager,
            Precision storage) {
        return withWeights(new AutoencoderKL(config), weights, manager, storage);
    }

    /** Builds {@code config}'s VAE with seeded random weights, for timing without a checkpoint. */
    public static AutoencoderKL random(AutoencoderKLConfig config, long seed, NDManager manager) {
        return withRandomWeights(new AutoencoderKL(config), seed, manager);
    }

    public AutoencoderKLConfig config() {
        return config;
    }

    public VaeEncoder encoder() {
        return encoder;
    }

    public VaeDecoder decoder() {
        return decoder;
    }

    /** {@link #encode(NDArray, ForwardContext)} without interception. */
    public LatentDistribution encode(NDArray image) {
        return encode(image, ForwardContext.DEFAULT);
    }

    /**
     * @param image float32 {@code [B, in_channels, H, W]} in {@code [-1, 1]}
     * @return mean and clamped log-variance {@code [B, latent, H/f, W/f]} (f =
     *     {@link AutoencoderKLConfig#downscaleFactor()}; each level rounds odd sizes down), attached to the
     *     manager of {@code image}
     */
    public LatentDistribution encode(NDArray image, ForwardContext ctx) {
        check("image", image, config.inChannels());
        NDList out = ctx.scoped(image.getManager(), new NDList(image), c -> moments(c, image));
        return new LatentDistribution(out.get(0), out.get(1));
    }

    /** {@link #decode(NDArray, ForwardContext)} without interception. */
    public NDArray decode(NDArray latents) {
        return decode(latents, ForwardContext.DEFAULT);
    }

    /**
     * @param latents float32 {@code [B, latent, h, w]}, already divided by the scaling factor
     * @return the image {@code [B, out_channels, h*f, w*f]}, nominally in {@code [-1, 1]} (not clamped),
     *     attached to the manager of {@code latents}
     */
    public NDArray decode(NDArray latents, ForwardContext ctx) {
        check("latents", latents, config.latentChannels());
        return ctx.scoped(latents.getManager(), new NDList(latents), c -> new NDList(decodeIn(c, latents))).head();
    }

    /** diffusers' {@code forward(sample_posterior=False)}: the decoded mean. Inputs: image. Output: image. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(decodeIn(ctx, moments(ctx, inputs.head()).get(0)));
    }

    /** {@code [mean, clamped logvar]} of {@code quant_conv(encoder(image))}. */
    private NDList moments(ForwardContext ctx, NDArray image) {
        // float32 in and out; inside, the compute type
        NDArray moments = ForwardContext.toFloat32(quantConv.forward(ctx, encoder.forward(ctx, ctx.toComputeType(image))));
        NDList halves = moments.split(2, 1);
        return new NDList(halves.get(0), halves.get(1).clip(LOGVAR_MIN, LOGVAR_MAX));
    }

    private NDArray decodeIn(ForwardContext ctx, NDArray latents) {
        // float32 in and out; inside, the compute type
        return ForwardContext.toFloat32(decoder.forward(ctx, postQuantConv.forward(ctx, ctx.toComputeType(latents))));
    }

    private static void check(String what, NDArray x, int channels) {
        Shape shape = x.getShape();
        if (shape.dimension() != 4 || shape.get(1) != channels || shape.get(2) < 1 || shape.get(3) < 1) {
            throw new InputShapeException("VAE: expected " + what + " [B, " + channels + ", H, W], got " + shape);
        }
        if (x.getDataType() != DataType.FLOAT32) {
            throw new InputShapeException("VAE: expected float32 " + what + ", got " + x.getDataType());
        }
    }
}
