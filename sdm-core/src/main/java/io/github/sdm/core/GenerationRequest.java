package io.github.sdm.core;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.NoiseSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one generation needs, validated. Users build it with {@link GenerationBuilder}
 * ({@code sd.txt2img(prompt)...}); code that builds requests without a model uses {@link #builder}. Immutable
 * and reusable; {@link #toBuilder()} starts a modified copy.
 *
 * <p>Sizes are checked against the model's VAE (multiples of its downscale factor) when the request runs.
 */
public final class GenerationRequest {
    /**
     * The number of sampling steps when none is given, in the API and the {@code sdm} command line alike:
     * diffusers' default, so that a call with defaults takes the steps a default diffusers call takes. With a
     * fast multistep sampler (DPM-Solver++ 2M, UniPC) 20 to 25 steps usually suffice: pass them to go faster.
     */
    public static final int DEFAULT_STEPS = 50;

    private final Mode mode;
    private final String prompt;
    private final String negativePrompt;
    private final int clipSkip;
    private final int steps;
    private final double guidanceScale;
    private final String sampler;
    private final Map<String, Object> samplerOverrides;
    private final Long seed;
    private final int batchSize;
    private final int width;
    private final int height;
    private final FloatTensor initImage;
    private final double strength;
    private final FloatTensor initialLatents;
    private final NoiseSource noiseSource;
    private final ProgressListener listener;
    private final List<SessionExtension> extensions;

    private GenerationRequest(Builder b) {
        mode = b.mode;
        prompt = b.prompt;
        negativePrompt = b.negativePrompt == null ? "" : b.negativePrompt;
        clipSkip = b.clipSkip;
        steps = b.steps;
        guidanceScale = b.guidanceScale;
        sampler = b.sampler;
        samplerOverrides = Map.copyOf(b.samplerOverrides);
        seed = b.seed;
        batchSize = b.batchSize;
        width = b.width;
        height = b.height;
        initImage = b.initImage;
        strength = b.strength;
        initialLatents = b.initialLatents;
        noiseSource = b.noiseSource;
        listener = b.listener == null ? ProgressListener.NONE : b.listener;
        extensions = List.copyOf(b.extensions);
        validate();
    }

    /** A request in {@code mode} for {@code prompt}, with diffusers' defaults for everything else. */
    public static Builder builder(Mode mode, String prompt) {
        return new Builder(mode, prompt);
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(mode, prompt).negativePrompt(negativePrompt).clipSkip(clipSkip).steps(steps)
                .guidanceScale(guidanceScale).sampler(sampler).seed(seed).batchSize(batchSize).size(width, height)
                .initImage(initImage).strength(strength).initialLatents(initialLatents).noiseSource(noiseSource)
                .listener(listener);
        b.samplerOverrides.putAll(samplerOverrides);
        b.extensions.addAll(extensions);
        return b;
    }

    private void validate() {
        if (mode == null) {
            throw new InvalidRequestException("mode must not be null");
        }
        if (prompt == null) {
            throw new InvalidRequestException("prompt must not be null (use \"\" for an unconditional image)");
        }
        if (clipSkip < 1) {
            throw new InvalidRequestException("clip skip must be >= 1 (1 = the text encoder's last layer), got "
                    + clipSkip);
        }
        if (steps <= 0) {
            throw new InvalidRequestException("steps must be > 0, got " + steps);
        }
        if (!Double.isFinite(guidanceScale) || guidanceScale < 0) {
            throw new InvalidRequestException("guidance scale must be a finite number >= 0, got " + guidanceScale);
        }
        if (batchSize < 1) {
            throw new InvalidRequestException("batch size must be >= 1, got " + batchSize);
        }
        if (width < 0) {
            throw new InvalidRequestException("width must be positive (or 0 for the model's default), got " + width);
        }
        if (height < 0) {
            throw new InvalidRequestException("height must be positive (or 0 for the model's default), got " + height);
        }
        if (mode == Mode.IMG2IMG) {
            validateImg2Img();
        }
    }

    private void validateImg2Img() {
        if (initImage == null) {
            throw new InvalidRequestException("img2img needs an init image");
        }
        int[] s = initImage.shape();
        if (s.length != 4 || s[0] != 1 || s[1] != 3) {
            throw new InvalidRequestException("init image tensor must be [1, 3, H, W], got " + Arrays.toString(s));
        }
        if ((width > 0 && width != s[3]) || (height > 0 && height != s[2])) {
            throw new InvalidRequestException("init image is " + s[3] + "x" + s[2] + " but the request asks for "
                    + width + "x" + height);
        }
        if (!(strength >= 0 && strength <= 1)) {
            throw new InvalidRequestException("strength must be in [0, 1], got " + strength);
        }
        if (initialLatents != null) {
            throw new InvalidRequestException("initial latents apply to txt2img only; img2img starts from the init image");
        }
    }

    /** Classifier-free guidance runs only above scale 1, as in diffusers. */
    public boolean usesGuidance() {
        return guidanceScale > 1.0;
    }

    public Mode mode() {
        return mode;
    }

    public String prompt() {
        return prompt;
    }

    /** The negative prompt; "" when none was given. */
    public String negativePrompt() {
        return negativePrompt;
    }

    /** Which text encoder layer conditions the UNet, counted from the end (1 = the last layer). */
    public int clipSkip() {
        return clipSkip;
    }

    public int steps() {
        return steps;
    }

    public double guidanceScale() {
        return guidanceScale;
    }

    /** A sampler name ({@code "dpmpp_2m"}, {@code "EulerDiscreteScheduler"}, ...) or null for the model's own scheduler. */
    public String sampler() {
        return sampler;
    }

    /** Scheduler config fields set on top of the model's {@code scheduler_config.json}. */
    public Map<String, Object> samplerOverrides() {
        return samplerOverrides;
    }

    /** The seed of the noise, or null to draw one (the result reports it). */
    public Long seed() {
        return seed;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Image width in pixels, or 0 for the model's default / the init image's. */
    public int width() {
        return width;
    }

    /** Image height in pixels, or 0 for the model's default / the init image's. */
    public int height() {
        return height;
    }

    /** img2img: the image to start from, {@code [1, 3, H, W]} in [0, 1]; null for txt2img. */
    public FloatTensor initImage() {
        return initImage;
    }

    /** img2img: how much of the schedule runs from the noised init image. */
    public double strength() {
        return strength;
    }

    /** txt2img only: the starting latents before {@code init_noise_sigma} scaling; null draws them from the seed. */
    public FloatTensor initialLatents() {
        return initialLatents;
    }

    /** Null for Gaussian noise from {@code seed}; tests feed recorded noise through it. */
    public NoiseSource noiseSource() {
        return noiseSource;
    }

    public ProgressListener listener() {
        return listener;
    }

    /** What the generation asks of the denoiser beyond plain calls, at most one of each type. */
    public List<SessionExtension> extensions() {
        return extensions;
    }

    @Override
    public String toString() {
        return "GenerationRequest[" + mode + ", prompt='" + prompt + "', steps=" + steps + ", guidance="
                + guidanceScale + ", sampler=" + sampler + ", seed=" + seed + ", batch=" + batchSize + ", size="
                + width + "x" + height + "]";
    }

    /** Collects a request's values; {@link #build()} validates them. Defaults follow diffusers' pipelines. */
    public static final class Builder {
        private final Mode mode;
        private final String prompt;
        private String negativePrompt = "";
        private int clipSkip = 1;
        private int steps = DEFAULT_STEPS;
        private double guidanceScale = 7.5;
        private String sampler;
        private final Map<String, Object> samplerOverrides = new LinkedHashMap<>();
        private Long seed;
        private int batchSize = 1;
        private int width;
        private int height;
        private FloatTensor initImage;
        private double strength = 0.8;
        private FloatTensor initialLatents;
        private NoiseSource noiseSource;
        private ProgressListener listener;
        private final List<SessionExtension> extensions = new ArrayList<>();

        private Builder(Mode mode, String prompt) {
            this.mode = mode;
            this.prompt = prompt;
        }

        public Builder negativePrompt(String text) {
            this.negativePrompt = text;
            return this;
        }

        public Builder clipSkip(int layersFromEnd) {
            this.clipSkip = layersFromEnd;
            return this;
        }

        public Builder steps(int count) {
            this.steps = count;
            return this;
        }

        public Builder guidanceScale(double scale) {
            this.guidanceScale = scale;
            return this;
        }

        public Builder sampler(String name) {
            this.sampler = name;
            return this;
        }

        public Builder samplerOption(String field, Object value) {
            this.samplerOverrides.put(field, value);
            return this;
        }

        public Builder seed(Long value) {
            this.seed = value;
            return this;
        }

        public Builder batchSize(int images) {
            this.batchSize = images;
            return this;
        }

        public Builder size(int widthPixels, int heightPixels) {
            this.width = widthPixels;
            this.height = heightPixels;
            return this;
        }

        public Builder initImage(FloatTensor image) {
            this.initImage = image;
            return this;
        }

        public Builder strength(double value) {
            this.strength = value;
            return this;
        }

        public Builder initialLatents(FloatTensor latents) {
            this.initialLatents = latents;
            return this;
        }

        public Builder noiseSource(NoiseSource source) {
            this.noiseSource = source;
            return this;
        }

        public Builder listener(ProgressListener progressListener) {
            this.listener = progressListener;
            return this;
        }

        /** Adds an extension; a later one replaces an earlier one of the same class. */
        public Builder with(SessionExtension extension) {
            if (extension == null) {
                throw new InvalidRequestException("extension must not be null");
            }
            extensions.removeIf(e -> e.getClass() == extension.getClass());
            extensions.add(extension);
            return this;
        }

        public GenerationRequest build() {
            return new GenerationRequest(this);
        }
    }
}
