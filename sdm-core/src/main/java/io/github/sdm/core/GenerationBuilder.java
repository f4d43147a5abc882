package io.github.sdm.core;

import io.github.sdm.core.image.ImageTensors;
import io.github.sdm.core.image.LanczosResize;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.samplers.NoiseSource;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Fluent construction of a {@link GenerationRequest}, bound to the model that will run it. Defaults follow
 * diffusers' StableDiffusionPipeline: 50 steps, guidance 7.5, the model's own scheduler, strength 0.8.
 *
 * <p>The setters record values ({@link #with} alone checks at once); {@link #request()} (and so {@link #build()}
 * and {@link #generate()}) validates them and throws {@link io.github.sdm.core.error.InvalidRequestException}
 * naming the parameter and value, and what depends on the model (sizes, sampler, clip skip) is checked when the
 * generation runs. Not thread-safe: build on one thread; the {@link Generation}s it builds may run anywhere.
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

    /**
     * What to steer away from: the unconditional half of classifier-free guidance. Unused when guidance is off
     * (scale 1 or below).
     *
     * @param text the negative prompt; {@code ""} (the default) or null for none
     * @return this builder
     */
    public GenerationBuilder negativePrompt(String text) {
        request.negativePrompt(text);
        return this;
    }

    /**
     * Conditions the UNet on the text encoder's layer this far from the end: 1 (the default) is the last
     * layer, 2 the penultimate ("CLIP skip 2"; diffusers' {@code clip_skip=1}).
     *
     * @param layersFromEnd at least 1 and at most the text encoder's number of layers (12 for Stable Diffusion 1.x;
     *     checked when the generation runs)
     * @return this builder
     */
    public GenerationBuilder clipSkip(int layersFromEnd) {
        request.clipSkip(layersFromEnd);
        return this;
    }

    /**
     * The number of denoising steps (diffusers' {@code num_inference_steps}); {@value GenerationRequest#DEFAULT_STEPS}
     * when not set, diffusers' default and the {@code sdm} command line's (see {@link GenerationRequest#DEFAULT_STEPS});
     * fast multistep samplers such as {@code dpmpp_2m} usually need only 20 to 25. For img2img only the last
     * {@code strength} of them run. Multi-call samplers (Heun, PNDM's warm-up) call the UNet more often than this.
     *
     * @param count at least 1 and at most the model's {@code num_train_timesteps} (1000 for Stable Diffusion;
     *     the upper bound is checked when the generation runs)
     * @return this builder
     */
    public GenerationBuilder steps(int count) {
        request.steps(count);
        return this;
    }

    /**
     * Classifier-free guidance scale; default 7.5. At 1 or below guidance is off and the UNet runs once per step
     * instead of twice.
     *
     * @param scale a finite number, at least 0
     * @return this builder
     */
    public GenerationBuilder guidance(double scale) {
        request.guidanceScale(scale);
        return this;
    }

    /**
     * A sampler by short name ({@code "dpmpp_2m"}) or diffusers class name ({@code "EulerDiscreteScheduler"}),
     * configured from the model's {@code scheduler_config.json}; by default the scheduler that file names. See
     * {@link io.github.sdm.samplers.Samplers} for the names.
     *
     * @param name the sampler, or null for the model's own (an unknown name fails when the generation runs)
     * @return this builder
     */
    public GenerationBuilder sampler(String name) {
        request.sampler(name);
        return this;
    }

    /**
     * Sets one scheduler config field (diffusers name, e.g. {@code "use_karras_sigmas"}) for this generation, on top
     * of the model's {@code scheduler_config.json}; a later value for the same field replaces an earlier one.
     *
     * @param field the field's diffusers name: one some sampler reads
     *     ({@link io.github.sdm.samplers.Samplers#settingNames()})
     * @param value a number, boolean, string, array or list, as the field's JSON value, of the field's type; null
     *     unsets the field (the key and the value are checked when the generation runs)
     * @return this builder
     */
    public GenerationBuilder samplerOption(String field, Object value) {
        request.samplerOption(field, value);
        return this;
    }

    /**
     * Seeds the Gaussian noise (initial latents, img2img's added noise and stochastic samplers' draws), so a request
     * with the same seed gives the same images. Without a seed one is drawn at random and reported in
     * {@link GenerationResult#seed()}.
     *
     * @param value any value
     * @return this builder
     */
    public GenerationBuilder seed(long value) {
        request.seed(value);
        return this;
    }

    /**
     * How many images one generation makes, each from its own noise, in one batch through the networks; default 1.
     *
     * @param images at least 1
     * @return this builder
     */
    public GenerationBuilder batchSize(int images) {
        request.batchSize(images);
        return this;
    }

    /**
     * The image size in pixels. By default (0) txt2img uses the model's native size (the UNet's
     * {@code sample_size} times the VAE's downscale factor: 512 for Stable Diffusion 1.5) and img2img the init
     * image's size; an init {@code BufferedImage} of another size is resized to this one (Lanczos).
     *
     * @param widthPixels the width: 0 for the default, else a multiple of the VAE's downscale factor (8 for Stable
     *     Diffusion; the multiple is checked when the generation runs)
     * @param heightPixels the height, likewise
     * @return this builder
     */
    public GenerationBuilder size(int widthPixels, int heightPixels) {
        this.width = widthPixels;
        this.height = heightPixels;
        request.size(widthPixels, heightPixels);
        return this;
    }

    /**
     * img2img: how much of the schedule to run from the noised init image (1 = ignore the image); default 0.8. The
     * last {@code steps * strength} steps run (diffusers' rule), so a strength too small to leave a step fails when
     * the generation runs. Ignored by txt2img.
     *
     * @param value in [0, 1]
     * @return this builder
     */
    public GenerationBuilder strength(double value) {
        request.strength(value);
        return this;
    }

    /**
     * txt2img: start from these latents (before {@code init_noise_sigma} scaling) instead of seeded noise.
     *
     * @param latents shape {@code [batch, latent channels, height / 8, width / 8]} for the request's batch and size
     *     (checked when the generation runs); null for seeded noise
     * @return this builder
     */
    public GenerationBuilder initialLatents(FloatTensor latents) {
        request.initialLatents(latents);
        return this;
    }

    /**
     * Replaces the seeded Gaussian noise (initial latents and stochastic samplers' draws), e.g. with noise recorded
     * from diffusers.
     *
     * @param source the noise, drawn from on the generating thread; null for Gaussian noise from the seed
     * @return this builder
     */
    public GenerationBuilder noiseSource(NoiseSource source) {
        request.noiseSource(source);
        return this;
    }

    /**
     * Called after every step on the generating thread, e.g. to show progress or to cancel.
     *
     * @param progressListener the listener, or null for none
     * @return this builder
     */
    public GenerationBuilder listener(ProgressListener progressListener) {
        request.listener(progressListener);
        return this;
    }

    /**
     * Adds what the generation asks of the denoiser beyond plain calls, e.g. feature inheritance
     * ({@code FeatureInheritance.preset("deepcache")} from {@code sdm-inheritance}); one of each type, a later
     * one replacing an earlier one of the same class.
     *
     * @param extension the feature's settings; the backend refuses at run time one that nothing on its class path
     *     handles
     * @return this builder
     * @throws io.github.sdm.core.error.InvalidRequestException if {@code extension} is null
     */
    public GenerationBuilder with(SessionExtension extension) {
        request.with(extension);
        return this;
    }

    /**
     * Applies a LoRA adapter to this generation only: the loaded model's weights stay untouched, so a
     * concurrent generation on the same model runs without it. Several adapters add up, each with its own
     * multiplier. It costs two small products per adapted layer and call (see docs/lora.md); merging at load
     * ({@link io.github.sdm.core.model.LoadOptions#withLora}) costs nothing per call.
     *
     * @param file the adapter's {@code .safetensors} file (kohya/A1111 or diffusers/PEFT layout)
     * @param multiplier the strength (1 = as trained, 0 = no change)
     * @return this builder
     * @throws io.github.sdm.core.error.InvalidRequestException if the file is null or the multiplier not finite
     */
    public GenerationBuilder lora(Path file, double multiplier) {
        request.lora(new LoraAdapter(file, multiplier));
        return this;
    }

    /**
     * The validated request, an init {@code BufferedImage} resized to the requested size and converted first.
     *
     * @return an immutable request, reusable with {@link StableDiffusion#newGeneration}
     * @throws io.github.sdm.core.error.InvalidRequestException if a value is out of range (the message names it)
     */
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

    /**
     * A generation that can be run once and cancelled from another thread.
     *
     * @return a new generation of {@link #request()}
     * @throws io.github.sdm.core.error.InvalidRequestException if a value is out of range (the message names it)
     */
    public Generation build() {
        return model.newGeneration(request());
    }

    /**
     * Builds and runs the generation on this thread.
     *
     * @return the images and what produced them
     * @throws io.github.sdm.core.error.InvalidRequestException if a value is out of range or does not fit the model
     *     (the message names it)
     * @throws io.github.sdm.core.error.GenerationCancelledException if the listener cancelled the generation
     * @throws io.github.sdm.core.error.SdmException if the latents or image contain NaN or the backend fails
     */
    public GenerationResult generate() {
        return build().run();
    }
}
