package io.github.sdm.core;

import io.github.sdm.core.error.GenerationCancelledException;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.image.ImageTensors;
import io.github.sdm.core.spi.AutoencoderNetwork;
import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.NetworkRole;
import io.github.sdm.core.spi.RequestSize;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.NoiseSource;
import io.github.sdm.samplers.SamplingRun;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The denoising loop of diffusers' StableDiffusionPipeline and StableDiffusionImg2ImgPipeline, step for step,
 * so that the same inputs give the same numbers. Stateless: every generation's state lives in its locals, so
 * one pipeline serves concurrent generations. It reports stage boundaries and steps to a
 * {@link StageListener} and asks a {@link RunControl} whether to go on; it knows nothing of the
 * {@code Generation} that drives it. Each stage holds the network it runs through {@link StageResidency}, which
 * loads and releases networks per stage when the model was loaded so.
 */
final class DiffusionPipeline {
    private final DiffusionNetworks networks;
    private final PromptEncoder promptEncoder;
    private final SamplerFactory samplers;
    private final StageResidency residency;

    public DiffusionPipeline(DiffusionNetworks networks, PromptEncoder promptEncoder, SamplerFactory samplers,
            StageResidency residency) {
        this.networks = networks;
        this.promptEncoder = promptEncoder;
        this.samplers = samplers;
        this.residency = residency;
    }

    /** diffusers' {@code __call__}: encode the prompt, prepare timesteps and latents, denoise, decode. */
    public DiffusionOutput run(GenerationRequest request, RunControl control, StageListener listener) {
        LatentSize size = latentSize(request);
        long seed = request.seed() != null ? request.seed() : ThreadLocalRandom.current().nextLong();
        NoiseSource noise = request.noiseSource() != null ? request.noiseSource() : NoiseSource.seeded(seed);

        try (StageResidency.Claims claims = residency.claim(request.mode())) {
            TextConditioning conditioning = withNetwork(claims, NetworkRole.TEXT_ENCODER, listener,
                    () -> timed(listener, Stage.TEXT_ENCODING, () -> encodePrompt(request, size)));
            SamplingRun sampler = samplers.start(request, noise);
            FloatTensor initial = request.mode() == Mode.TXT2IMG
                    ? initialTxt2ImgLatents(request, size, noise, sampler)
                    : withNetwork(claims, NetworkRole.VAE, listener, () -> timed(listener, Stage.IMAGE_ENCODING,
                            () -> initialImg2ImgLatents(request, noise, sampler)));
            FloatTensor latents = withNetwork(claims, NetworkRole.UNET, listener,
                    () -> denoise(request, conditioning, sampler, initial, control, listener));
            Decoded decoded = withNetwork(claims, NetworkRole.VAE, listener,
                    () -> timed(listener, Stage.IMAGE_DECODING, () -> decode(latents)));
            return new DiffusionOutput(decoded.images(), seed, sampler.timesteps(), latents, decoded.pixels());
        }
    }

    /** Runs {@code stage} holding {@code role} loaded; taking and giving back the hold is timed on its own. */
    private static <T> T withNetwork(StageResidency.Claims claims, NetworkRole role, StageListener listener,
            Supplier<T> stage) {
        StageResidency.Use use = timed(listener, Stage.NETWORK_RESIDENCY, () -> claims.use(role));
        try {
            return stage.get();
        } finally {
            timed(listener, Stage.NETWORK_RESIDENCY, () -> {
                use.close();
                return null;
            });
        }
    }

    /**
     * Encodes the prompts once, refuses a request too big for memory (the batch's conditioning is the first
     * thing sized by the batch), then lays the conditioning out for the batch.
     */
    private TextConditioning encodePrompt(GenerationRequest request, LatentSize size) {
        PromptEncoder.PromptEmbeddings prompts = promptEncoder.embed(request.prompt(), request.negativePrompt(),
                request.usesGuidance(), request.clipSkip(), request.extensions());
        AutoencoderNetwork vae = networks.vae();
        MemoryCheck.require(new RequestSize(request.batchSize(), request.usesGuidance(), vae.latentChannels(),
                size.height(), size.width(), vae.downscaleFactor()), prompts.floatsPerImage(), networks);
        return prompts.forBatch(request.batchSize());
    }

    private FloatTensor denoise(GenerationRequest request, TextConditioning conditioning, SamplingRun sampler,
            FloatTensor initial, RunControl control, StageListener listener) {
        double[] timesteps = sampler.timesteps();
        int calls = timesteps.length;
        FloatTensor latents = initial;
        try (DenoiserSession unet = networks.unet().openSession(
                new DenoiserSessionOptions(calls, request.extensions()))) {
            for (int i = 0; i < calls; i++) {
                if (control.isCancelled()) {
                    throw new GenerationCancelledException(i, calls);
                }
                int call = i;
                FloatTensor current = latents;
                FloatTensor modelInput = timed(listener, Stage.SAMPLER,
                        () -> modelInput(request, sampler, current, call));
                FloatTensor prediction = timed(listener, Stage.UNET_CALL,
                        () -> unet.predict(modelInput, timesteps[call], call, conditioning));
                latents = timed(listener, Stage.SAMPLER, () -> step(request, sampler, prediction, current, call));
                requireFinite(latents, "latents after step " + (i + 1));
                listener.stepFinished(i + 1, calls, timesteps[i]);
            }
        }
        return latents;
    }

    /** The scaled latents, twice over (unconditional then conditional half) with guidance. */
    private static FloatTensor modelInput(GenerationRequest request, SamplingRun sampler, FloatTensor latents,
            int call) {
        FloatTensor scaled = latents.withData(sampler.scaleModelInput(latents.data(), call));
        return request.usesGuidance() ? FloatTensor.concat(scaled, scaled) : scaled;
    }

    private static FloatTensor step(GenerationRequest request, SamplingRun sampler, FloatTensor prediction,
            FloatTensor latents, int call) {
        float[] guided = prediction.data();
        if (request.usesGuidance()) {
            guided = ClassifierFreeGuidance.combine(prediction.data(), (float) request.guidanceScale());
            ClassifierFreeGuidance.requireInRange(prediction.data(), guided, request.guidanceScale(), call + 1);
        }
        return latents.withData(sampler.step(guided, call, latents.data()));
    }

    private FloatTensor initialTxt2ImgLatents(GenerationRequest request, LatentSize size, NoiseSource noise,
            SamplingRun sampler) {
        int[] shape = {request.batchSize(), networks.vae().latentChannels(), size.height(), size.width()};
        FloatTensor latents = request.initialLatents();
        if (latents == null) {
            latents = FloatTensor.zeros(shape);
            noise.fill(latents.data());
        } else if (!Arrays.equals(latents.shape(), shape)) {
            int factor = networks.vae().downscaleFactor();
            throw new InvalidRequestException("initial latents have shape " + Arrays.toString(latents.shape())
                    + " but batch " + request.batchSize() + " at " + size.width() * factor + "x"
                    + size.height() * factor + " needs " + Arrays.toString(shape));
        }
        float sigma = sampler.initNoiseSigma();
        float[] scaled = new float[latents.size()];
        for (int j = 0; j < scaled.length; j++) {
            scaled[j] = latents.data()[j] * sigma;
        }
        return latents.withData(scaled);
    }

    private FloatTensor initialImg2ImgLatents(GenerationRequest request, NoiseSource noise, SamplingRun sampler) {
        AutoencoderNetwork vae = networks.vae();
        // deterministic latents (a KL VAE's mean), as diffusers' reference does for its init latents
        FloatTensor raw = vae.encodeLatents(toSigned(request.initImage()));
        float shift = vae.shiftFactor();
        float scale = vae.scalingFactor();
        float[] clean = new float[raw.size()];
        for (int j = 0; j < clean.length; j++) {
            clean[j] = shift == 0f ? raw.data()[j] * scale : (raw.data()[j] - shift) * scale;
        }
        FloatTensor initLatents = raw.withData(clean).repeatEach(request.batchSize());
        float[] added = new float[initLatents.size()];
        noise.fill(added);
        return initLatents.withData(sampler.addNoise(initLatents.data(), added, 0));
    }

    /** [0, 1] to the VAE's [-1, 1], as diffusers' VaeImageProcessor normalizes. */
    private static FloatTensor toSigned(FloatTensor image01) {
        float[] out = new float[image01.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = 2f * image01.data()[j] - 1f;
        }
        return image01.withData(out);
    }

    /** The decoded batch in [0, 1] and as 8-bit images. */
    private record Decoded(FloatTensor pixels, List<BufferedImage> images) {
    }

    private Decoded decode(FloatTensor latents) {
        AutoencoderNetwork vae = networks.vae();
        float inverse = 1f / vae.scalingFactor();
        float shift = vae.shiftFactor();
        float[] unscaled = new float[latents.size()];
        for (int j = 0; j < unscaled.length; j++) {
            unscaled[j] = shift == 0f ? latents.data()[j] * inverse : latents.data()[j] * inverse + shift;
        }
        FloatTensor image = vae.decode(latents.withData(unscaled));
        requireFinite(image, "decoded image");
        FloatTensor pixels = image.withData(ImageTensors.denormalize(image.data()));
        return new Decoded(pixels, ImageTensors.toImages(pixels.data(), pixels.dim(0), pixels.dim(2), pixels.dim(3)));
    }

    /** Latent height and width of the request, its pixel sizes checked to be multiples of the VAE's factor. */
    private LatentSize latentSize(GenerationRequest request) {
        int factor = networks.vae().downscaleFactor();
        if (request.mode() == Mode.IMG2IMG) {
            int[] s = request.initImage().shape();
            if (s[2] % factor != 0 || s[3] % factor != 0) {
                throw new InvalidRequestException("init image is " + s[3] + "x" + s[2] + ", not a multiple of "
                        + factor + "; give size(width, height) to resize it");
            }
            return new LatentSize(s[3] / factor, s[2] / factor);
        }
        int sample = networks.unet().sampleSize();
        return new LatentSize(latentSide("width", request.width(), factor, sample),
                latentSide("height", request.height(), factor, sample));
    }

    private static int latentSide(String name, int pixels, int factor, int defaultSide) {
        if (pixels == 0) {
            return defaultSide;
        }
        if (pixels % factor != 0) {
            throw new InvalidRequestException(name + " must be a positive multiple of " + factor
                    + " (the VAE downsamples by " + factor + "), got " + pixels);
        }
        return pixels / factor;
    }

    private record LatentSize(int width, int height) {
    }

    /** A NaN anywhere means the weights or the sampler config are broken: say so instead of saving a black image. */
    private static void requireFinite(FloatTensor tensor, String what) {
        if (tensor.hasNonFinite()) {
            throw new SdmException("The " + what + " contain NaN or infinite values; the model weights or the "
                    + "sampler configuration produce invalid numbers");
        }
    }

    private static <T> T timed(StageListener listener, Stage stage, Supplier<T> body) {
        listener.stageStarted(stage);
        try {
            return body.get();
        } finally {
            listener.stageFinished(stage);
        }
    }
}
