package io.github.sdm.unet.djl.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.InputShapeException;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;

/**
 * diffusers' {@code AutoencoderTiny} (v0.27.2), TAESD: {@code encoder} maps an image in {@code [-1, 1]} straight
 * to latents (no distribution), {@code decoder} maps latents back. The pipeline's {@code scaling_factor} (1.0
 * for TAESD) is not applied here. Part names are the checkpoint's keys ({@code encoder.layers.N...},
 * {@code decoder.layers.N...}).
 *
 * <p>Owns its weights (in a sub-manager of the manager given at load); {@link #close()} frees them.
 */
public final class AutoencoderTiny extends Network {
    public static final String CONFIG_FILE = AutoencoderKL.CONFIG_FILE;
    /** {@code scale_latents} maps raw latents into [0, 1], which are stored as bytes of this many steps. */
    private static final float BYTE_STEPS = 255f;

    private final AutoencoderTinyConfig config;
    private final TinyEncoder encoder;
    private final TinyDecoder decoder;

    /** The architecture only; weights come from {@link #load} or {@link #random}. */
    public AutoencoderTiny(AutoencoderTinyConfig config) {
        this.config = config;
        encoder = child(new TinyEncoder("encoder", config));
        decoder = child(new TinyDecoder("decoder", config));
    }

    /** Reads {@code config.json} and the safetensors weights of a diffusers {@code AutoencoderTiny} folder. */
    public static AutoencoderTiny load(Path componentFolder, NDManager manager) {
        AutoencoderTinyConfig config = AutoencoderTinyConfig.read(componentFolder.resolve(CONFIG_FILE));
        return fromComponentFolder(componentFolder, weights -> load(config, weights, manager));
    }

    /** Builds {@code config}'s network with weights from any source. */
    public static AutoencoderTiny load(AutoencoderTinyConfig config, WeightSource weights, NDManager manager) {
        return load(config, weights, manager, Precision.FP32);
    }

    /** {@link #load(AutoencoderTinyConfig, WeightSource, NDManager)} with the weights held as {@code storage}. */
    public static AutoencoderTiny load(AutoencoderTinyConfig config, WeightSource weights, NDManager manager,
            Precision storage) {
        return withWeights(new AutoencoderTiny(config), weights, manager, storage);
    }

    /** Builds {@code config}'s network with seeded random weights, for timing without a checkpoint. */
    public static AutoencoderTiny random(AutoencoderTinyConfig config, long seed, NDManager manager) {
        return withRandomWeights(new AutoencoderTiny(config), seed, manager);
    }

    public AutoencoderTinyConfig config() {
        return config;
    }

    public TinyEncoder encoder() {
        return encoder;
    }

    public TinyDecoder decoder() {
        return decoder;
    }

    /**
     * diffusers' {@code encode(image).latents}.
     *
     * @param image float32 {@code [B, in_channels, H, W]} in {@code [-1, 1]}
     * @return the raw latents {@code [B, latent, H/f, W/f]}, attached to the manager of {@code image}
     */
    public NDArray encode(NDArray image, ForwardContext ctx) {
        check("image", image, config.inChannels());
        // float32 in and out; inside, the compute type
        return ctx.scoped(image.getManager(), new NDList(image),
                c -> new NDList(ForwardContext.toFloat32(encoder.forward(c, c.toComputeType(image))))).head();
    }

    /**
     * diffusers' {@code decode(latents).sample}.
     *
     * @param latents float32 {@code [B, latent, h, w]}, raw (already divided by the scaling factor)
     * @return the image {@code [B, out_channels, h*f, w*f]}, about {@code [-1, 1]} (not clamped), attached to the
     *     manager of {@code latents}
     */
    public NDArray decode(NDArray latents, ForwardContext ctx) {
        check("latents", latents, config.latentChannels());
        return ctx.scoped(latents.getManager(), new NDList(latents),
                c -> new NDList(ForwardContext.toFloat32(decoder.forward(c, c.toComputeType(latents))))).head();
    }

    /** diffusers' {@code scale_latents}: raw latents to {@code [0, 1]}, {@code clamp(x / (2m) + shift, 0, 1)}. */
    public NDArray scaleLatents(NDArray latents) {
        return latents.div(twiceMagnitude()).add((float) config.latentShift()).clip(0, 1);
    }

    /** diffusers' {@code unscale_latents}: {@code [0, 1]} to raw latents, {@code (x - shift) * 2m}. */
    public NDArray unscaleLatents(NDArray scaled) {
        return scaled.sub((float) config.latentShift()).mul(twiceMagnitude());
    }

    private float twiceMagnitude() {
        return (float) (2 * config.latentMagnitude());
    }

    /**
     * diffusers' {@code forward}: encode, store the latents as bytes ({@link #scaleLatents}, times 255, rounded),
     * read them back ({@link #unscaleLatents}) and decode. Inputs: image. Output: image.
     */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray latents = encoder.forward(ctx, inputs.head());
        NDArray bytes = scaleLatents(latents).mul(BYTE_STEPS).round();
        return new NDList(decoder.forward(ctx, unscaleLatents(bytes.div(BYTE_STEPS))));
    }

    private static void check(String what, NDArray x, int channels) {
        Shape shape = x.getShape();
        if (shape.dimension() != 4 || shape.get(1) != channels || shape.get(2) < 1 || shape.get(3) < 1) {
            throw new InputShapeException("tiny VAE: expected " + what + " [B, " + channels + ", H, W], got " + shape);
        }
        if (x.getDataType() != DataType.FLOAT32) {
            throw new InputShapeException("tiny VAE: expected float32 " + what + ", got " + x.getDataType());
        }
    }
}
