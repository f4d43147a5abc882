package io.github.sdm.core;

import io.github.sdm.core.image.ImageTensors;
import io.github.sdm.core.image.LanczosResize;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.NoiseSource;
import java.awt.image.BufferedImage;

/**
 * Fluent construction of a {@link GenerationRequest}, bound to the model that will run it. Defaults follow
 * diffusers' StableDiffusionPipeline: 50 steps, guidance 7.5, the model's own scheduler, strength 0.8.
 */
public final class GenerationBuilder {
    private final StableDiffusion model;
    private final GenerationRequest.Builder request;
    private final BufferedImage initBufferedImage;
    private final FloatTensor initImage;
    private int width;
    private int height;

    GenerationBuilder(StableDiffusion model, Mode mode, String prompt, BufferedImage initBufferedImage,
            FloatTensor initImage) {
        this.model = model;
        this.request = GenerationRequest.builder(mode, prompt);
        this.initBufferedImage = initBufferedImage;
        this.initImage = initImage;
    }

    public GenerationBuilder negativePrompt(String text) {
        request.negativePrompt(text);
        return this;
    }

    /**
     * Conditions the UNet on the text encoder's layer this far from the end: 1 (the default) is the last
     * layer, 2 the penultimate ("CLIP skip 2"; diffusers' {@code clip_skip=1}).
     */
    public GenerationBuilder clipSkip(int layersFromEnd) {
        request.clipSkip(layersFromEnd);
        return this;
    }

    /**
     * Sampling steps; {@value GenerationRequest#DEFAULT_STEPS} when not set, diffusers' default and the
     * {@code sdm} command line's (see {@link GenerationRequest#DEFAULT_STEPS}); fast multistep samplers such as
     * {@code dpmpp_2m} usually need only 20 to 25.
     */
    public GenerationBuilder steps(int count) {
        request.steps(count);
        return this;
    }

    /** Classifier-free guidance scale; at 1 or below guidance is off and the UNet runs once per step. */
    public GenerationBuilder guidance(double scale) {
        request.guidanceScale(scale);
        return this;
    }

    /** A sampler by short name ({@code "dpmpp_2m"}) or diffusers class name. */
    public GenerationBuilder sampler(String name) {
        request.sampler(name);
        return this;
    }

    /** Sets one scheduler config field (diffusers name, e.g. {@code "use_karras_sigmas"}) for this generation. */
    public GenerationBuilder samplerOption(String field, Object value) {
        request.samplerOption(field, value);
        return this;
    }

    public GenerationBuilder seed(long value) {
        request.seed(value);
        return this;
    }

    public GenerationBuilder batchSize(int images) {
        request.batchSize(images);
        return this;
    }

    public GenerationBuilder size(int widthPixels, int heightPixels) {
        this.width = widthPixels;
        this.height = heightPixels;
        request.size(widthPixels, heightPixels);
        return this;
    }

    /** img2img: how much of the schedule to run from the noised init image (1 = ignore the image). */
    public GenerationBuilder strength(double value) {
        request.strength(value);
        return this;
    }

    /** txt2img: start from these latents (before {@code init_noise_sigma} scaling) instead of seeded noise. */
    public GenerationBuilder initialLatents(FloatTensor latents) {
        request.initialLatents(latents);
        return this;
    }

    /** Replaces the seeded Gaussian noise (initial latents and stochastic samplers' draws). */
    public GenerationBuilder noiseSource(NoiseSource source) {
        request.noiseSource(source);
        return this;
    }

    public GenerationBuilder listener(ProgressListener progressListener) {
        request.listener(progressListener);
        return this;
    }

    /**
     * Adds what the generation asks of the denoiser beyond plain calls, e.g. feature inheritance
     * ({@code FeatureInheritance.preset("deepcache")} from {@code sdm-inheritance}); one of each type, a later
     * one replacing an earlier one of the same class.
     */
    public GenerationBuilder with(SessionExtension extension) {
        request.with(extension);
        return this;
    }

    public GenerationRequest request() {
        return request.initImage(initPixels()).build();
    }

    /** A BufferedImage init image is resized to the requested size, if one was given, then converted. */
    private FloatTensor initPixels() {
        if (initBufferedImage == null) {
            return initImage;
        }
        BufferedImage image = initBufferedImage;
        boolean resize = (width > 0 && width != image.getWidth()) || (height > 0 && height != image.getHeight());
        if (resize) {
            image = LanczosResize.resize(image, width > 0 ? width : image.getWidth(),
                    height > 0 ? height : image.getHeight());
        }
        return new FloatTensor(ImageTensors.toUnitRange(image), new int[] {1, 3, image.getHeight(), image.getWidth()});
    }

    /** A generation that can be run once and cancelled from another thread. */
    public Generation build() {
        return model.newGeneration(request());
    }

    /** Runs the generation on this thread. */
    public GenerationResult generate() {
        return build().run();
    }
}
