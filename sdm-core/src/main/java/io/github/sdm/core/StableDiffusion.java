package io.github.sdm.core;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.ModelClosedException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.model.ModelFolder;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.PipelineFamilies;
import io.github.sdm.core.model.Residency;
import io.github.sdm.core.spi.BackendSelector;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.ModelBackend;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A loaded Stable Diffusion model: load once (weights, tokenizer, scheduler config), generate many times.
 *
 * <pre>{@code
 * try (StableDiffusion sd = StableDiffusion.load(Path.of("models/sd15"))) {
 *     GenerationResult result = sd.txt2img("a red apple on a table").steps(20).sampler("dpmpp_2m").seed(42).generate();
 *     ImageIO.write(result.images().get(0), "png", new File("apple.png"));
 * }
 * }</pre>
 *
 * <p>Thread-safe: generations may run concurrently from several threads (they share the weights and the
 * cores). Close it to free the weights: {@link #close()} may be called at any time, from any thread, also while
 * generations run (see there); any use after it throws a {@link ModelClosedException}.
 */
public final class StableDiffusion implements AutoCloseable {
    private final ModelLocation location;
    private final DiffusionPipeline pipeline;
    private final ModelUsage usage;
    private final DiffusionNetworks networks;
    /** Adapters merged after the load, latest first; changed only inside {@code usage.whileIdle}. */
    private final Deque<AppliedLora> applied = new ArrayDeque<>();

    private final Residency residency;

    private StableDiffusion(ModelLocation location, DiffusionNetworks networks, DiffusionPipeline pipeline,
            Residency residency) {
        this.location = location;
        this.residency = residency;
        this.pipeline = pipeline;
        this.networks = networks;
        this.usage = new ModelUsage(String.valueOf(location.isSingleFile() ? location.checkpoint()
                : location.folder()), networks::close);
    }

    /**
     * Loads a diffusers model folder with {@link LoadOptions#defaults() default options} (CPU, FP32, the best
     * backend).
     *
     * @param folder the diffusers folder (with {@code model_index.json}); symbolic links are followed
     * @return the loaded model; close it to free its weights
     * @throws io.github.sdm.core.error.ModelFormatException if the folder is missing, is not a diffusers folder of a
     *     supported pipeline family, or a config, tokenizer or weight file in it is missing or damaged
     * @throws io.github.sdm.core.error.SdmException if no backend on the class path can load the model (the message
     *     gives each one's reason)
     */
    public static StableDiffusion load(Path folder) {
        return load(ModelLocation.folder(folder), LoadOptions.defaults());
    }

    /**
     * Loads a diffusers model folder with the given options.
     *
     * @param folder the diffusers folder (with {@code model_index.json}); symbolic links are followed
     * @param options device, threads, precisions, backend and attention slicing
     * @return the loaded model; close it to free its weights
     * @throws io.github.sdm.core.error.ModelFormatException if the folder is missing, is not a diffusers folder of a
     *     supported pipeline family, or a config, tokenizer or weight file in it is missing or damaged
     * @throws io.github.sdm.core.error.SdmException if the named backend does not exist or cannot load the model, or
     *     no backend can (the message gives each one's reason), or the backend refuses the options (a precision, a
     *     device)
     */
    public static StableDiffusion load(Path folder, LoadOptions options) {
        return load(ModelLocation.folder(folder), options);
    }

    /**
     * Loads a diffusers folder, or a single-file LDM checkpoint with the folder giving configs and tokenizer,
     * with any components the location takes from other folders. The folder's pipeline family
     * ({@code model_index.json}'s {@code _class_name}) must be one sdm runs; the backend is the one the options
     * or {@code -Dsdm.backend} name, else the highest-ranked one that reads the model's weight format.
     *
     * @param location the model folder, with an optional single-file checkpoint and component folders
     * @param options device, threads, precisions, backend and attention slicing
     * @return the loaded model; close it to free its weights
     * @throws io.github.sdm.core.error.ModelFormatException if the folder, the checkpoint or a component folder is
     *     missing, the folder is not a diffusers folder of a supported pipeline family, or a config, tokenizer or
     *     weight file is missing or damaged
     * @throws io.github.sdm.core.error.SdmException if the named backend does not exist or cannot load the model, or
     *     no backend can (the message gives each one's reason), or the backend refuses the options (a precision, a
     *     device, LoRA adapters it cannot merge)
     */
    public static StableDiffusion load(ModelLocation location, LoadOptions options) {
        location.requireExists();
        ModelFolder folder = ModelFolder.open(location.folder());
        PipelineFamilies.of(folder);
        ClipTokenizer tokenizer = ClipTokenizer.load(folder.tokenizerPath());
        SamplerFactory samplers = new SamplerFactory(folder.schedulerConfig().json());
        ModelBackend backend = BackendSelector.fromClasspath().choose(location, options);
        if (!options.loras().isEmpty() && !backend.mergesLora()) {
            throw new SdmException("LoadOptions.loras: the " + backend.name() + " backend cannot merge LoRA adapters ("
                    + options.loras().size() + " given, first " + options.loras().get(0).file() + "); load with a "
                    + "backend that can, e.g. LoadOptions.withBackend(\"djl\")");
        }
        requireResidency(backend, options);
        DiffusionNetworks networks = backend.load(location, options);
        try {
            PromptEncoder prompts = new PromptEncoder(tokenizer, networks.textEncoder());
            StageResidency residency = new StageResidency(options.residency(), networks);
            return new StableDiffusion(location, networks, new DiffusionPipeline(networks, prompts, samplers,
                    residency), options.residency());
        } catch (RuntimeException e) {
            networks.close();
            throw e;
        }
    }

    /**
     * Per-stage residency needs a backend that releases networks, and no LoRA merged into the weights (a reload
     * reads the files, not the merged weights).
     */
    private static void requireResidency(ModelBackend backend, LoadOptions options) {
        if (options.residency() != Residency.PER_STAGE) {
            return;
        }
        if (!backend.releasesPerStage()) {
            throw new SdmException("LoadOptions.residency PER_STAGE: the " + backend.name() + " backend keeps its "
                    + "networks resident and cannot release them per stage; load with Residency.RESIDENT or a "
                    + "backend that can, e.g. LoadOptions.withBackend(\"djl\")");
        }
        if (!options.loras().isEmpty()) {
            throw new SdmException("LoadOptions.residency PER_STAGE with LoRA adapters merged at load ("
                    + options.loras().size() + ", first " + options.loras().get(0).file() + "): a network loaded "
                    + "again per stage would lose the merge; use Residency.RESIDENT, or per-generation adapters "
                    + "(GenerationBuilder.lora)");
        }
    }

    /**
     * Where this model was loaded from.
     *
     * @return the location given to {@code load}
     */
    public ModelLocation location() {
        return location;
    }

    /**
     * Starts a text-to-image request with diffusers' defaults (see {@link GenerationBuilder}).
     *
     * @param prompt the text to draw; {@code ""} for an unconditional image (null is refused when the request is
     *     built)
     * @return a builder bound to this model; {@link GenerationBuilder#generate()} runs it
     */
    public GenerationBuilder txt2img(String prompt) {
        usage.requireOpen();
        return new GenerationBuilder(this, Mode.TXT2IMG, prompt, null, null);
    }

    /**
     * Starts an image-to-image request from an image; with {@code size(w, h)} on the builder the image is resized to
     * that size (Lanczos), else its own size is used and must be a multiple of the VAE's downscale factor (8).
     *
     * @param initImage the image to start from (converted to RGB in [0, 1]; alpha is dropped)
     * @param prompt the text to draw; {@code ""} for none
     * @return a builder bound to this model, with strength 0.8 unless set
     * @throws InvalidRequestException if {@code initImage} is null
     */
    public GenerationBuilder img2img(BufferedImage initImage, String prompt) {
        if (initImage == null) {
            throw new InvalidRequestException("img2img needs an init image, got null");
        }
        usage.requireOpen();
        return new GenerationBuilder(this, Mode.IMG2IMG, prompt, initImage, null);
    }

    /**
     * Starts an image-to-image request from an image tensor (no 8-bit rounding). Its height and width must be
     * multiples of the VAE's downscale factor (8); {@code size(w, h)} on the builder must match them, as a tensor is
     * not resized.
     *
     * @param initImage the image, shape {@code [1, 3, H, W]}, RGB values in [0, 1]
     * @param prompt the text to draw; {@code ""} for none
     * @return a builder bound to this model, with strength 0.8 unless set
     * @throws InvalidRequestException if {@code initImage} is null (a wrong shape is refused when the request is built)
     */
    public GenerationBuilder img2img(FloatTensor initImage, String prompt) {
        if (initImage == null) {
            throw new InvalidRequestException("img2img needs an init image, got null");
        }
        usage.requireOpen();
        return new GenerationBuilder(this, Mode.IMG2IMG, prompt, null, initImage);
    }

    /**
     * A generation of a request built elsewhere (e.g. a request reused across models); nothing runs until
     * {@link Generation#run()}.
     *
     * @param request the validated request
     * @return a generation to run once, cancellable from any thread
     */
    public Generation newGeneration(GenerationRequest request) {
        usage.requireOpen();
        return new Generation(pipeline, usage, request);
    }

    /**
     * Merges LoRA adapters into this loaded model's weights (as {@link LoadOptions#withLora} does at load): every
     * generation started afterwards uses them, at no cost per call. Waits until no generation runs, and new ones
     * wait until the merge is done; for an adapter on some generations only, use {@code GenerationBuilder.lora}.
     *
     * @param file the adapter's {@code .safetensors} file (kohya/A1111 or diffusers/PEFT layout)
     * @param multiplier the strength (1 = as trained)
     * @return the handle whose {@link AppliedLora#unmerge()} restores the weights bit for bit
     * @throws SdmException if the backend cannot merge adapters, the file does not fit the model, or the model was
     *     loaded with {@link Residency#PER_STAGE}
     * @throws ModelClosedException if the model was closed
     */
    public AppliedLora applyLora(Path file, double multiplier) {
        return applyLora(List.of(new LoraAdapter(file, multiplier)));
    }

    /**
     * Merges several adapters at once, each with its own multiplier (see {@link #applyLora(Path, double)}).
     *
     * @param adapters the adapters
     * @return the handle whose {@link AppliedLora#unmerge()} restores the weights bit for bit
     * @throws SdmException if the backend cannot merge adapters, a file does not fit the model, or the model was
     *     loaded with {@link Residency#PER_STAGE} (a network loaded again would lose the merge)
     * @throws ModelClosedException if the model was closed
     */
    public AppliedLora applyLora(List<LoraAdapter> adapters) {
        if (residency == Residency.PER_STAGE) {
            throw new SdmException("applyLora: this model was loaded with Residency.PER_STAGE, whose networks are "
                    + "loaded again per stage from the files and would lose the merge; load it with "
                    + "Residency.RESIDENT, or use per-generation adapters (GenerationBuilder.lora)");
        }
        return usage.whileIdle(() -> {
            AppliedLora handle = new AppliedLora(this, adapters, networks.mergeLora(adapters));
            applied.push(handle);
            return handle;
        });
    }

    /** Undoes {@code handle} if it is the latest merge; false when the model is closed (its weights are gone). */
    boolean unmerge(AppliedLora handle) {
        if (usage.isClosed()) {
            return false;
        }
        return usage.whileIdle(() -> {
            if (applied.peek() != handle) {
                throw new SdmException("unmerge the LoRA adapters applied after " + handle.adapters() + " first "
                        + "(merges undo in reverse order)");
            }
            handle.undo();
            applied.pop();
            return true;
        });
    }

    /**
     * Frees the weights. Generations running at that moment are cancelled (each stops before its next denoising
     * step and throws a {@link ModelClosedException}; one already decoding finishes and returns its result), and
     * close waits for them before freeing anything, so it returns within about one step. Cancelling rather
     * than waiting for whole generations keeps a close at shutdown prompt (a 50-step generation takes minutes
     * on a CPU); freeing without waiting would pull the weights from under a running network call and crash
     * the JVM. Afterwards starting a generation, or a new request, throws a {@link ModelClosedException}.
     * Closing again does nothing. A close from a generation's own progress listener does not wait for that
     * generation: the weights are freed when it has stopped.
     */
    @Override
    public void close() {
        usage.close();
    }
}
