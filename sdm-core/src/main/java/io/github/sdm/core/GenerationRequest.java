package io.github.sdm.core;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.spi.LoraSession;
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

    /**
     * A request in {@code mode} for {@code prompt}, with diffusers' defaults for everything else.
     *
     * @param mode txt2img or img2img (img2img also needs {@link Builder#initImage})
     * @param prompt the text to draw; {@code ""} for an unconditional image
     * @return a builder; its {@link Builder#build()} validates
     */
    public static Builder builder(Mode mode, String prompt) {
        return new Builder(mode, prompt);
    }

    /**
     * A builder holding this request's values, to build a modified copy.
     *
     * @return a new builder; this request is unchanged
     */
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

    /**
     * Classifier-free guidance runs only above scale 1, as in diffusers.
     *
     * @return whether the UNet runs on the negative and the positive prompt at every step
     */
    public boolean usesGuidance() {
        return guidanceScale > 1.0;
    }

    /**
     * Whether the generation starts from noise or from an init image.
     *
     * @return txt2img or img2img
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The text to draw.
     *
     * @return the prompt; {@code ""} for an unconditional image
     */
    public String prompt() {
        return prompt;
    }

    /**
     * The text to steer away from, used only with guidance.
     *
     * @return the negative prompt; {@code ""} when none was given
     */
    public String negativePrompt() {
        return negativePrompt;
    }

    /**
     * Which text encoder layer conditions the UNet, counted from the end.
     *
     * @return at least 1 (the last layer, the default)
     */
    public int clipSkip() {
        return clipSkip;
    }

    /**
     * The number of denoising steps (diffusers' {@code num_inference_steps}); img2img runs the last
     * {@code strength} of them.
     *
     * @return at least 1; 50 by default
     */
    public int steps() {
        return steps;
    }

    /**
     * The classifier-free guidance scale.
     *
     * @return a finite number, at least 0; 7.5 by default; at 1 or below guidance is off
     */
    public double guidanceScale() {
        return guidanceScale;
    }

    /**
     * The sampler to run.
     *
     * @return a sampler name ({@code "dpmpp_2m"}, {@code "EulerDiscreteScheduler"}, ...), or null for the model's own
     *     scheduler
     */
    public String sampler() {
        return sampler;
    }

    /**
     * Scheduler config fields set on top of the model's {@code scheduler_config.json}.
     *
     * @return field name (diffusers' spelling) to value; unmodifiable, empty for none
     */
    public Map<String, Object> samplerOverrides() {
        return samplerOverrides;
    }

    /**
     * The seed of the noise.
     *
     * @return the seed, or null to draw one at random (the result reports it)
     */
    public Long seed() {
        return seed;
    }

    /**
     * How many images the generation makes.
     *
     * @return at least 1; 1 by default
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The image width.
     *
     * @return the width in pixels, or 0 for the model's default (txt2img) or the init image's (img2img)
     */
    public int width() {
        return width;
    }

    /**
     * The image height.
     *
     * @return the height in pixels, or 0 for the model's default (txt2img) or the init image's (img2img)
     */
    public int height() {
        return height;
    }

    /**
     * img2img: the image to start from.
     *
     * @return shape {@code [1, 3, H, W]}, values in [0, 1]; null for txt2img
     */
    public FloatTensor initImage() {
        return initImage;
    }

    /**
     * img2img: how much of the schedule runs from the noised init image (1 = ignore the image).
     *
     * @return in [0, 1] for img2img; 0.8 by default; unused by txt2img
     */
    public double strength() {
        return strength;
    }

    /**
     * txt2img only: the starting latents before {@code init_noise_sigma} scaling.
     *
     * @return shape {@code [batch, latent channels, height / 8, width / 8]}, or null to draw them from the seed
     */
    public FloatTensor initialLatents() {
        return initialLatents;
    }

    /**
     * The noise that replaces the seeded Gaussian noise; tests feed recorded noise through it.
     *
     * @return the noise source, or null for Gaussian noise from {@link #seed()}
     */
    public NoiseSource noiseSource() {
        return noiseSource;
    }

    /**
     * Called after every step, on the generating thread.
     *
     * @return the listener; {@link ProgressListener#NONE} when none was given
     */
    public ProgressListener listener() {
        return listener;
    }

    /**
     * What the generation asks of the denoiser beyond plain calls, at most one of each type.
     *
     * @return the extensions in the order added; unmodifiable, empty for none
     */
    public List<SessionExtension> extensions() {
        return extensions;
    }

    @Override
    public String toString() {
        return "GenerationRequest[" + mode + ", prompt='" + prompt + "', steps=" + steps + ", guidance="
                + guidanceScale + ", sampler=" + sampler + ", seed=" + seed + ", batch=" + batchSize + ", size="
                + width + "x" + height + "]";
    }

    /**
     * Collects a request's values; {@link #build()} validates them. Defaults follow diffusers' pipelines. The
     * setters mean what {@link GenerationBuilder}'s do. Not thread-safe.
     */
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

        /**
         * Sets the text to steer away from, used only with guidance.
         *
         * @param text the negative prompt; {@code ""} (the default) or null for none
         * @return this builder
         */
        public Builder negativePrompt(String text) {
            this.negativePrompt = text;
            return this;
        }

        /**
         * Sets the text encoder layer that conditions the UNet, counted from the end.
         *
         * @param layersFromEnd at least 1 (the default, the last layer) and at most the text encoder's layers (checked
         *     when the generation runs)
         * @return this builder
         */
        public Builder clipSkip(int layersFromEnd) {
            this.clipSkip = layersFromEnd;
            return this;
        }

        /**
         * Sets the number of denoising steps.
         *
         * @param count at least 1 (default 50) and at most the model's {@code num_train_timesteps} (checked when the
         *     generation runs)
         * @return this builder
         */
        public Builder steps(int count) {
            this.steps = count;
            return this;
        }

        /**
         * Sets the classifier-free guidance scale.
         *
         * @param scale finite and at least 0 (default 7.5); at 1 or below guidance is off
         * @return this builder
         */
        public Builder guidanceScale(double scale) {
            this.guidanceScale = scale;
            return this;
        }

        /**
         * Sets the sampler by short name or diffusers class name.
         *
         * @param name the sampler, or null (the default) for the model's own scheduler
         * @return this builder
         */
        public Builder sampler(String name) {
            this.sampler = name;
            return this;
        }

        /**
         * Sets one scheduler config field on top of the model's {@code scheduler_config.json}.
         *
         * @param field the field's diffusers name (e.g. {@code "use_karras_sigmas"})
         * @param value its JSON value as a number, boolean, string, array or list; null unsets it
         * @return this builder
         */
        public Builder samplerOption(String field, Object value) {
            this.samplerOverrides.put(field, value);
            return this;
        }

        /**
         * Sets the seed of the noise.
         *
         * @param value the seed, or null (the default) to draw one at random
         * @return this builder
         */
        public Builder seed(Long value) {
            this.seed = value;
            return this;
        }

        /**
         * Sets how many images the generation makes.
         *
         * @param images at least 1 (the default)
         * @return this builder
         */
        public Builder batchSize(int images) {
            this.batchSize = images;
            return this;
        }

        /**
         * Sets the image size in pixels.
         *
         * @param widthPixels 0 (the default) for the model's or the init image's width, else a positive multiple of the
         *     VAE's downscale factor (checked when the generation runs); for img2img equal to the init image's
         * @param heightPixels the height, likewise
         * @return this builder
         */
        public Builder size(int widthPixels, int heightPixels) {
            this.width = widthPixels;
            this.height = heightPixels;
            return this;
        }

        /**
         * img2img: sets the image to start from.
         *
         * @param image shape {@code [1, 3, H, W]}, values in [0, 1]; required for img2img
         * @return this builder
         */
        public Builder initImage(FloatTensor image) {
            this.initImage = image;
            return this;
        }

        /**
         * img2img: sets how much of the schedule runs from the noised init image.
         *
         * @param value in [0, 1] (default 0.8; 1 ignores the image)
         * @return this builder
         */
        public Builder strength(double value) {
            this.strength = value;
            return this;
        }

        /**
         * txt2img: sets the starting latents (before {@code init_noise_sigma} scaling) instead of seeded noise.
         *
         * @param latents shape {@code [batch, latent channels, height / 8, width / 8]}, or null (the default)
         * @return this builder
         */
        public Builder initialLatents(FloatTensor latents) {
            this.initialLatents = latents;
            return this;
        }

        /**
         * Replaces the seeded Gaussian noise.
         *
         * @param source the noise, or null (the default) for Gaussian noise from the seed
         * @return this builder
         */
        public Builder noiseSource(NoiseSource source) {
            this.noiseSource = source;
            return this;
        }

        /**
         * Sets the listener called after every step on the generating thread.
         *
         * @param progressListener the listener, or null (the default) for none
         * @return this builder
         */
        public Builder listener(ProgressListener progressListener) {
            this.listener = progressListener;
            return this;
        }

        /**
         * Adds an extension; a later one replaces an earlier one of the same class.
         *
         * @param extension the feature's settings, e.g. {@code FeatureInheritance} from {@code sdm-inheritance}
         * @return this builder
         * @throws InvalidRequestException if {@code extension} is null
         */
        public Builder with(SessionExtension extension) {
            if (extension == null) {
                throw new InvalidRequestException("extension must not be null");
            }
            extensions.removeIf(e -> e.getClass() == extension.getClass());
            extensions.add(extension);
            return this;
        }

        /**
         * Adds a LoRA adapter for this generation only (the loaded model's weights stay untouched): it joins
         * the request's {@link LoraSession}, created with the first adapter.
         *
         * @param adapter the adapter file and its multiplier
         * @return this builder
         * @throws InvalidRequestException if {@code adapter} is null
         */
        public Builder lora(LoraAdapter adapter) {
            if (adapter == null) {
                throw new InvalidRequestException("LoRA adapter must not be null");
            }
            LoraSession current = extensions.stream().filter(LoraSession.class::isInstance)
                    .map(LoraSession.class::cast).findFirst().orElse(null);
            return with(current == null ? new LoraSession(List.of(adapter)) : current.plus(adapter));
        }

        /**
         * Validates the values and builds the request.
         *
         * @return an immutable request
         * @throws InvalidRequestException if a value is out of range, or an img2img request lacks its init image,
         *     has one of the wrong shape or of another size than {@code size}, or has initial latents; the message
         *     names the parameter and value
         */
        public GenerationRequest build() {
            return new GenerationRequest(this);
        }
    }
}
