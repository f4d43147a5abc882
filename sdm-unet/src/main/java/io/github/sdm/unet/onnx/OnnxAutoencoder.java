package io.github.sdm.unet.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.LatentDistribution;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.unet.graph.TinyAutoencoderGraphs;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exported VAE: {@code vae_decoder/model.onnx} and, optionally, {@code vae_encoder/model.onnx}. The encoders of
 * the two export conventions differ:
 *
 * <ul>
 *   <li>optimum's outputs {@code latent_parameters}, the mean and log-variance concatenated on the channels:
 *       {@link #encodeLatents} gives the mean, as a KL VAE does, and {@link #encodeDistribution} both;</li>
 *   <li>diffusers' conversion script's outputs {@code latent_sample}, a sample drawn inside the graph by ONNX
 *       Runtime's own random generator: {@link #encodeLatents} returns that draw, so img2img from such an export
 *       differs from run to run whatever the seed (as in diffusers' {@code OnnxStableDiffusionImg2ImgPipeline}); there
 *       is no distribution to give, and no mean to recover from a draw;</li>
 *   <li>a TAESD graph sdm built ({@link TinyAutoencoderGraphs}) outputs {@code latents}, the image's latents
 *       without a distribution, as TAESD computes them.</li>
 * </ul>
 */
final class OnnxAutoencoder implements AutoencoderNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxAutoencoder.class);
    // diffusers' DiagonalGaussianDistribution clamps the log-variance to this range
    private static final float LOGVAR_MIN = -30f;
    private static final float LOGVAR_MAX = 20f;

    private final OnnxGraph decoder;
    private final OnnxGraph encoder;
    private final OrtEnvironment environment;
    private final VaeSizes sizes;
    private final String decoderInput;
    private final String decoderOutput;
    private final String encoderInput;
    private final String encoderOutput;
    private final boolean encoderGivesParameters;

    /**
     * @param encoder the encoder's graph, or null when the export has none (img2img is then refused)
     * @param config {@code vae_decoder/config.json}, or null when the export has none (see {@link VaeSizes})
     */
    OnnxAutoencoder(OnnxGraph decoder, OnnxGraph encoder, OrtEnvironment environment, ConfigFile config) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.environment = environment;
        this.decoderInput = decoder.input("latent_sample", 4, "latents");
        this.sizes = VaeSizes.of(config, decoder.inputs().get(decoderInput).getShape()[1]);
        decoder.requireOnlyInputs("VAE decoder", Set.of(decoderInput));
        this.decoderOutput = decoder.output("sample", 4, "image");
        if (encoder == null) {
            encoderInput = null;
            encoderOutput = null;
            encoderGivesParameters = false;
            return;
        }
        this.encoderInput = encoder.input("sample", 4, "image");
        encoder.requireOnlyInputs("VAE encoder", Set.of(encoderInput));
        if (encoder.outputs().containsKey("latent_parameters")) {
            encoderOutput = "latent_parameters";
            encoderGivesParameters = true;
        } else if (encoder.outputs().containsKey(TinyAutoencoderGraphs.LATENTS)) {
            // a TAESD graph sdm built: the image maps straight to latents, deterministically
            encoderOutput = TinyAutoencoderGraphs.LATENTS;
            encoderGivesParameters = false;
        } else if (encoder.outputs().containsKey("latent_sample")) {
            encoderOutput = "latent_sample";
            encoderGivesParameters = false;
            LOG.info("{} outputs latent_sample, a sample drawn inside the graph: img2img from this export differs "
                    + "from run to run, whatever the seed", encoder.file());
        } else {
            throw new ModelFormatException(encoder.file() + ": the VAE encoder has neither 'latent_parameters' "
                    + "(optimum's export: mean and log-variance) nor 'latent_sample' (diffusers' conversion script); "
                    + "its outputs: " + OnnxGraph.describe(encoder.outputs()));
        }
    }

    @Override
    public FloatTensor encodeLatents(FloatTensor image) {
        FloatTensor out = encode(image);
        return encoderGivesParameters ? channels(out, 0) : out;
    }

    @Override
    public Optional<LatentDistribution> encodeDistribution(FloatTensor image) {
        if (encoder == null || !encoderGivesParameters) {
            return Optional.empty();
        }
        FloatTensor parameters = encode(image);
        FloatTensor logVariance = channels(parameters, 1);
        float[] clamped = logVariance.data();
        for (int i = 0; i < clamped.length; i++) {
            clamped[i] = Math.min(Math.max(clamped[i], LOGVAR_MIN), LOGVAR_MAX);
        }
        return Optional.of(new LatentDistribution(channels(parameters, 0), logVariance));
    }

    private FloatTensor encode(FloatTensor image) {
        if (encoder == null) {
            throw new InvalidRequestException("img2img needs the VAE encoder, and this ONNX export has none (no "
                    + "vae_encoder/model.onnx beside " + decoder.file().getParent() + ")");
        }
        try (OnnxTensor x = OnnxValues.floats(environment, image, encoder.inputs().get(encoderInput),
                encoder.file() + " input '" + encoderInput + "'")) {
            return encoder.run(Map.of(encoderInput, x), encoderOutput);
        }
    }

    /** The first ({@code half} 0) or second half of the channels of {@code [batch, 2C, h, w]}. */
    private FloatTensor channels(FloatTensor parameters, int half) {
        int[] shape = parameters.shape();
        if (shape.length != 4 || shape[1] != 2 * sizes.latentChannels()) {
            throw new ModelFormatException(encoder.file() + ": '" + encoderOutput + "' has shape "
                    + Arrays.toString(shape) + "; [batch, 2 x " + sizes.latentChannels() + " latent channels, h, w] "
                    + "expected (mean and log-variance)");
        }
        int channels = sizes.latentChannels();
        int plane = shape[2] * shape[3];
        float[] out = new float[shape[0] * channels * plane];
        for (int b = 0; b < shape[0]; b++) {
            System.arraycopy(parameters.data(), (b * 2 * channels + half * channels) * plane, out, b * channels * plane,
                    channels * plane);
        }
        return new FloatTensor(out, new int[] {shape[0], channels, shape[2], shape[3]});
    }

    @Override
    public FloatTensor decode(FloatTensor latents) {
        FloatTensor image;
        try (OnnxTensor z = OnnxValues.floats(environment, latents, decoder.inputs().get(decoderInput),
                decoder.file() + " input '" + decoderInput + "'")) {
            image = decoder.run(Map.of(decoderInput, z), decoderOutput);
        }
        int factor = sizes.downscaleFactor();
        if (image.dim(2) != latents.dim(2) * factor || image.dim(3) != latents.dim(3) * factor) {
            // the factor was taken from the config or assumed (SD's 8): the graph disagrees
            throw new ModelFormatException(decoder.file() + " decodes latents " + Arrays.toString(latents.shape())
                    + " to " + Arrays.toString(image.shape()) + ", not " + factor + " times larger as "
                    + sizes.source() + " says");
        }
        return image;
    }

    /** The graphs it runs: the decoder, and the encoder where there is one. */
    List<OnnxGraph> graphs() {
        return encoder == null ? List.of(decoder) : List.of(decoder, encoder);
    }

    @Override
    public int latentChannels() {
        return sizes.latentChannels();
    }

    @Override
    public int downscaleFactor() {
        return sizes.downscaleFactor();
    }

    @Override
    public float scalingFactor() {
        return sizes.scalingFactor();
    }

    @Override
    public float shiftFactor() {
        return sizes.shiftFactor();
    }
}
