package io.github.sdm.core.pipeline;

import io.github.sdm.core.Generation;
import io.github.sdm.core.GenerationCancelledException;
import io.github.sdm.core.GenerationRequest;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.InvalidRequestException;
import io.github.sdm.core.Mode;
import io.github.sdm.core.SdmException;
import io.github.sdm.core.StageTimings;
import io.github.sdm.core.StepProgress;
import io.github.sdm.core.image.ImageTensors;
import io.github.sdm.core.spi.DenoiserSession;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.NoiseSource;
import io.github.sdm.samplers.SamplingRun;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The denoising loop of diffusers' StableDiffusionPipeline and StableDiffusionImg2ImgPipeline, step for step,
 * so that the same inputs give the same numbers. Stateless: every generation's state lives in its locals, so
 * one pipeline serves concurrent generations.
 */
public final class DiffusionPipeline {
    private final DiffusionNetworks networks;
    private final PromptEncoder promptEncoder;
    private final SamplerFactory samplers;

    public DiffusionPipeline(DiffusionNetworks networks, PromptEncoder promptEncoder, SamplerFactory samplers) {
        this.networks = networks;
        this.promptEncoder = promptEncoder;
        this.samplers = samplers;
    }

    public GenerationResult run(GenerationRequest request, Generation generation) {
        long start = System.nanoTime();
        long seed = request.seed() != null ? request.seed() : ThreadLocalRandom.current().nextLong();
        NoiseSource noise = request.noiseSource() != null ? request.noiseSource() : NoiseSource.seeded(seed);
        int batch = request.batchSize();

        long t0 = System.nanoTime();
        FloatTensor context = promptEncoder.context(request.prompt(), request.negativePrompt(), batch,
                request.usesGuidance());
        Duration textEncoding = since(t0);

        SamplingRun sampler = samplers.start(request, noise);
        Duration imageEncoding = Duration.ZERO;
        FloatTensor latents;
        if (request.mode() == Mode.TXT2IMG) {
            latents = initialTxt2ImgLatents(request, noise, sampler);
        } else {
            long e0 = System.nanoTime();
            latents = initialImg2ImgLatents(request, noise, sampler);
            imageEncoding = since(e0);
        }

        double[] timesteps = sampler.timesteps();
        int calls = timesteps.length;
        List<Duration> unetCalls = new ArrayList<>(calls);
        long samplerNanos = 0;
        try (DenoiserSession unet = networks.unet().openSession(
                new DenoiserSessionOptions(calls, request.extensions()))) {
            for (int i = 0; i < calls; i++) {
                if (generation.isCancelled()) {
                    throw new GenerationCancelledException(i, calls);
                }
                long s0 = System.nanoTime();
                float[] scaled = sampler.scaleModelInput(latents.data(), i);
                FloatTensor modelInput = latents.withData(scaled);
                if (request.usesGuidance()) {
                    modelInput = FloatTensor.concat(modelInput, modelInput);
                }
                samplerNanos += System.nanoTime() - s0;

                long u0 = System.nanoTime();
                FloatTensor prediction = unet.predict(modelInput, timesteps[i], i, context);
                unetCalls.add(since(u0));

                long s1 = System.nanoTime();
                float[] guided = request.usesGuidance()
                        ? ClassifierFreeGuidance.combine(prediction.data(), (float) request.guidanceScale())
                        : prediction.data();
                latents = latents.withData(sampler.step(guided, i, latents.data()));
                samplerNanos += System.nanoTime() - s1;
                requireFinite(latents, "latents after step " + (i + 1));
                request.listener().onStep(new StepProgress(i + 1, calls, timesteps[i], generation));
            }
        }

        long d0 = System.nanoTime();
        FloatTensor decoded = decode(latents);
        List<BufferedImage> images = ImageTensors.toImages(decoded.data(), decoded.dim(0), decoded.dim(2), decoded.dim(3));
        Duration imageDecoding = since(d0);

        StageTimings timings = new StageTimings(textEncoding, imageEncoding, List.copyOf(unetCalls),
                Duration.ofNanos(samplerNanos), imageDecoding, since(start));
        return new GenerationResult(images, seed, timesteps,
                latents, decoded, timings, request);
    }

    private FloatTensor initialTxt2ImgLatents(GenerationRequest request, NoiseSource noise, SamplingRun sampler) {
        int[] shape = latentShape(request.batchSize(), request.width(), request.height());
        FloatTensor latents = request.initialLatents();
        if (latents == null) {
            latents = FloatTensor.zeros(shape);
            noise.fill(latents.data());
        } else if (!Arrays.equals(latents.shape(), shape)) {
            throw new InvalidRequestException("initial latents have shape " + Arrays.toString(latents.shape())
                    + " but batch " + request.batchSize() + " at " + width(request) + "x" + height(request)
                    + " needs " + Arrays.toString(shape));
        }
        float sigma = sampler.initNoiseSigma();
        float[] scaled = new float[latents.size()];
        for (int j = 0; j < scaled.length; j++) {
            scaled[j] = latents.data()[j] * sigma;
        }
        return latents.withData(scaled);
    }

    private FloatTensor initialImg2ImgLatents(GenerationRequest request, NoiseSource noise, SamplingRun sampler) {
        FloatTensor pixels = toSigned(request.initImage());
        // diffusers' reference uses the distribution's mean (its mode) for deterministic init latents
        FloatTensor mean = networks.vae().encode(pixels).mean();
        float scale = networks.vae().scalingFactor();
        float[] clean = new float[mean.size()];
        for (int j = 0; j < clean.length; j++) {
            clean[j] = mean.data()[j] * scale;
        }
        FloatTensor initLatents = mean.withData(clean).repeatEach(request.batchSize());
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

    private FloatTensor decode(FloatTensor latents) {
        float inverse = 1f / networks.vae().scalingFactor();
        float[] unscaled = new float[latents.size()];
        for (int j = 0; j < unscaled.length; j++) {
            unscaled[j] = latents.data()[j] * inverse;
        }
        FloatTensor image = networks.vae().decode(latents.withData(unscaled));
        requireFinite(image, "decoded image");
        return image.withData(ImageTensors.denormalize(image.data()));
    }

    private int[] latentShape(int batch, int width, int height) {
        int channels = networks.unet().inChannels();
        int sample = networks.unet().sampleSize();
        int w = width > 0 ? width / 8 : sample;
        int h = height > 0 ? height / 8 : sample;
        return new int[] {batch, channels, h, w};
    }

    private int width(GenerationRequest request) {
        return request.width() > 0 ? request.width() : networks.unet().sampleSize() * 8;
    }

    private int height(GenerationRequest request) {
        return request.height() > 0 ? request.height() : networks.unet().sampleSize() * 8;
    }

    /** A NaN anywhere means the weights or the sampler config are broken: say so instead of saving a black image. */
    private static void requireFinite(FloatTensor tensor, String what) {
        if (tensor.hasNonFinite()) {
            throw new SdmException("The " + what + " contain NaN or infinite values; the model weights or the "
                    + "sampler configuration produce invalid numbers");
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
