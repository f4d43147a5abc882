package io.github.sdm.core;

import io.github.sdm.core.image.ImageTensors;
import io.github.sdm.core.image.LanczosResize;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.NoiseSource;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fluent construction of a {@link GenerationRequest}, bound to the model that will run it. Defaults follow
 * diffusers' StableDiffusionPipeline: 50 steps, guidance 7.5, the model's own scheduler, strength 0.8.
 */
public final class GenerationBuilder {
    private final StableDiffusion model;
    private final Mode mode;
    private final String prompt;
    private final BufferedImage initBufferedImage;
    private final FloatTensor initImage;
    private String negativePrompt = "";
    private int steps = 50;
    private double guidanceScale = 7.5;
    private String sampler;
    private final Map<String, Object> samplerOverrides = new LinkedHashMap<>();
    private Long seed;
    private int batchSize = 1;
    private int width;
    private int height;
    private double strength = 0.8;
    private FloatTensor initialLatents;
    private NoiseSource noiseSource;
    private ProgressListener listener;
    private final List<SessionExtension> extensions = new ArrayList<>();

    GenerationBuilder(StableDiffusion model, Mode mode, String prompt, BufferedImage initBufferedImage,
            FloatTensor initImage) {
        this.model = model;
        this.mode = mode;
        this.prompt = prompt;
        this.initBufferedImage = initBufferedImage;
        this.initImage = initImage;
    }

    public GenerationBuilder negativePrompt(String text) {
        this.negativePrompt = text;
        return this;
    }

    public GenerationBuilder steps(int count) {
        this.steps = count;
        return this;
    }

    /** Classifier-free guidance scale; at 1 or below guidance is off and the UNet runs once per step. */
    public GenerationBuilder guidance(double scale) {
        this.guidanceScale = scale;
        return this;
    }

    /** A sampler by short name ({@code "dpmpp_2m"}) or diffusers class name. */
    public GenerationBuilder sampler(String name) {
        this.sampler = name;
        return this;
    }

    /** Sets one scheduler config field (diffusers name, e.g. {@code "use_karras_sigmas"}) for this generation. */
    public GenerationBuilder samplerOption(String field, Object value) {
        this.samplerOverrides.put(field, value);
        return this;
    }

    public GenerationBuilder seed(long value) {
        this.seed = value;
        return this;
    }

    public GenerationBuilder batchSize(int images) {
        this.batchSize = images;
        return this;
    }

    public GenerationBuilder size(int widthPixels, int heightPixels) {
        this.width = widthPixels;
        this.height = heightPixels;
        return this;
    }

    /** img2img: how much of the schedule to run from the noised init image (1 = ignore the image). */
    public GenerationBuilder strength(double value) {
        this.strength = value;
        return this;
    }

    /** txt2img: start from these latents (before {@code init_noise_sigma} scaling) instead of seeded noise. */
    public GenerationBuilder initialLatents(FloatTensor latents) {
        this.initialLatents = latents;
        return this;
    }

    /** Replaces the seeded Gaussian noise (initial latents and stochastic samplers' draws). */
    public GenerationBuilder noiseSource(NoiseSource source) {
        this.noiseSource = source;
        return this;
    }

    public GenerationBuilder listener(ProgressListener progressListener) {
        this.listener = progressListener;
        return this;
    }

    /**
     * Adds what the generation asks of the denoiser beyond plain calls, e.g. feature inheritance
     * ({@code FeatureInheritance.preset("deepcache")} from {@code sdm-inheritance}); one of each type, a later
     * one replacing an earlier one of the same class.
     */
    public GenerationBuilder with(SessionExtension extension) {
        if (extension == null) {
            throw new InvalidRequestException("extension must not be null");
        }
        extensions.removeIf(e -> e.getClass() == extension.getClass());
        extensions.add(extension);
        return this;
    }

    public GenerationRequest request() {
        return new GenerationRequest(mode, prompt, negativePrompt, steps, guidanceScale, sampler, samplerOverrides,
                seed, batchSize, width, height, initPixels(), strength, initialLatents, noiseSource, listener,
                extensions);
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
