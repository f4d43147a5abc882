package io.github.sdm.bench.cli;

import io.github.sdm.assembly.djl.switching.LoadedUNet;
import io.github.sdm.assembly.switching.SwitchSchedule;
import io.github.sdm.assembly.switching.UNetSwitch;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationRequest;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.image.PngFiles;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.model.VaeTiling;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.samplers.SamplerConfigException;
import io.github.sdm.samplers.Samplers;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sdm generate}: one txt2img or img2img generation, written as PNG with its settings embedded. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate images from a prompt (txt2img), or from an init image and a prompt (img2img).")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "Diffusers model folder (default: the embedded emoji model).")
    Path model;

    @Option(names = "--vae", paramLabel = "FOLDER", description = "The VAE from this diffusers folder (config.json and "
            + "weights): an AutoencoderKL, or a TAESD (AutoencoderTiny) for a fast, small decoder.")
    Path vae;

    @Option(names = "--vae-tiling", arity = "0..1", fallbackValue = "on", defaultValue = "auto",
            paramLabel = "auto|on|off", description = "Decode (and encode) in overlapping tiles as diffusers' "
            + "enable_tiling(): on = whenever larger than one tile (the VAE's sample_size), auto = above four tiles' "
            + "area (SD 1.5: above 1024x1024), off = never (default: ${DEFAULT-VALUE}; the bare flag means on).")
    String vaeTiling;

    @Option(names = "--residency", defaultValue = "resident", paramLabel = "resident|per-stage",
            description = ResidencyOption.DESCRIPTION)
    String residency;

    @Option(names = "--weight-paging", description = LoadOptionDescriptions.WEIGHT_PAGING)
    boolean weightPaging;

    @Option(names = "--checkpoint", description = "Single-file checkpoint with LDM key names; --model gives the configs.")
    Path checkpoint;

    @Option(names = "--prompt", required = true, description = "What to draw.")
    String prompt;

    @Option(names = "--negative", defaultValue = "", description = "What to avoid (classifier-free guidance).")
    String negative;

    @Option(names = "--steps", defaultValue = "" + GenerationRequest.DEFAULT_STEPS, description = "Sampling steps "
            + "(default: ${DEFAULT-VALUE}, diffusers' default and the Java API's; dpmpp_2m and unipc usually need "
            + "only 20 to 25).")
    int steps;

    @Option(names = "--guidance", defaultValue = "7.5", description = "Guidance scale; <= 1 turns guidance off (default: ${DEFAULT-VALUE}).")
    double guidance;

    @Option(names = "--sampler", defaultValue = "dpmpp_2m", completionCandidates = SamplerNames.class,
            description = "Sampler, by short or diffusers class name: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--sampler-option", description = "Scheduler config override, FIELD=VALUE (repeatable), e.g. use_karras_sigmas=true.")
    Map<String, String> samplerOptions = new LinkedHashMap<>();

    @Option(names = "--seed", description = "Seed of the noise (default: random, printed).")
    Long seed;

    @Option(names = "--width", defaultValue = "0", description = "Width in pixels, a multiple of 8 (default: the model's).")
    int width;

    @Option(names = "--height", defaultValue = "0", description = "Height in pixels, a multiple of 8 (default: the model's).")
    int height;

    @Option(names = "--init-image", description = "img2img: the image to start from.")
    Path initImage;

    @Option(names = "--strength", defaultValue = "0.8", description = "img2img: how much to change the init image, 0..1 (default: ${DEFAULT-VALUE}).")
    double strength;

    @Option(names = "--batch", defaultValue = "1", description = "Images per prompt (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", defaultValue = "sdm-out.png", description = "Output image: .png (settings in a PNG text "
            + "chunk) or .jpg/.jpeg (settings in the JPEG comment); with --batch > 1, -N is added before the extension. "
            + "Checked before the model loads (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--init-latents", description = "txt2img: start from the tensor 'latents' of this safetensors file.")
    Path initLatents;

    @Option(names = "--save-latents", description = "Write the final latents to this safetensors file (tensor 'latents').")
    Path saveLatents;

    @Option(names = "--cache", paramLabel = "SPEC", completionCandidates = InheritancePresetNames.class, description = {
        "Feature inheritance: reuse UNet features between key steps (faster, slightly different image).",
        "SPEC is a preset (${COMPLETION-CANDIDATES}) or LEVEL:TARGET:SCHEDULE:",
        "  block:K (DeepCache, shallow depth K; 2 = DeepCache's default), layer:SEL,... (SEL = all, deep, down,"
                + " mid, up or a part prefix like down_blocks.2), unit:U,...[,SEL,...] (U = attn1, attn2, ff);",
        "  SCHEDULE = interval=N | quadratic=N[,center=F] | bands=A,B,interval=N | keys=I,J,...",
        "  e.g. block:2:interval=3, layer:deep:interval=2, unit:attn2,ff:interval=3 (docs/feature-inheritance.md)."})
    String cache;

    @Option(names = "--student", paramLabel = "FOLDER", description = "Multi-UNet switching: a second UNet (a model "
            + "folder, e.g. from sdm assemble, or a UNet folder) for the calls --switch names.")
    Path student;

    @Option(names = "--switch", paramLabel = "SCHEDULE", description = "With --student: the first fraction of the UNet "
            + "calls on the student (0.4: the first 40%%), the last fraction (last:0.7: the last 70%%, the model's UNet "
            + "drawing the early, high-noise calls), or calls:0,1,2; the model's UNet computes the rest.")
    String switchSchedule;

    @Mixin
    PrecisionOptions precision = new PrecisionOptions();

    @Option(names = "--threads", defaultValue = "0", description = "Threads for the networks (default: all cores).")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--backend", description = LoadOptionDescriptions.BACKEND)
    String backend;

    @Option(names = "--clip-skip", defaultValue = "1", description = "Text encoder layer counted from the end that "
            + "conditions the UNet; 1 = the last (default: ${DEFAULT-VALUE}).")
    int clipSkip;

    @Option(names = "--lora", paramLabel = "FILE[:MULT]", description = "LoRA adapter (kohya/A1111 or diffusers/PEFT "
            + "safetensors) merged into the weights at load, with its multiplier (default 1); repeatable. LCM-LoRA: "
            + "--sampler lcm --steps 4 --guidance 1 (docs/lora.md).")
    List<String> loras = new ArrayList<>();

    @Option(names = "--lora-ignore-unmatched", description = "Skip (with a warning) the keys of a --lora file that "
            + "match no layer of the model, instead of refusing the file.")
    boolean loraIgnoreUnmatched;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        Path folder = model != null ? model : EmbeddedModel.folder();
        ModelLocation location = checkpoint != null ? ModelLocation.singleFile(checkpoint, folder)
                : ModelLocation.folder(folder);
        if (vae != null) {
            location = location.withComponent("vae", vae);
        }
        LoadOptions options = precision.applyTo(LoadOptions.defaults().withThreads(threads).withDevice(device)
                .withBackend(backend).withVaeTiling(vaeTiling()).withResidency(ResidencyOption.parse(residency))
                .withWeightPaging(weightPaging));
        for (String lora : loras) {
            options = options.withLora(LoraOption.parse(lora, loraIgnoreUnmatched));
        }
        // bad options, images and output paths fail before the load
        Map<String, Object> samplerSettings = samplerSettings();
        BufferedImage init = initImage != null ? readImage(initImage) : null;
        ImageOutput output = ImageOutput.of("--out", out);
        WritableFiles.require("--out", batch > 1 ? output.numbered(0).path() : output.path());
        if (saveLatents != null) {
            WritableFiles.require("--save-latents", saveLatents);
        }
        SwitchSchedule schedule = switchSchedule();
        try (StableDiffusion sd = StableDiffusion.load(location, options);
                LoadedUNet second = student != null ? LoadedUNet.load(student) : null) {
            GenerationBuilder builder = init != null ? sd.img2img(init, prompt).strength(strength)
                    : sd.txt2img(prompt);
            builder.negativePrompt(negative).clipSkip(clipSkip).steps(steps).guidance(guidance).sampler(sampler)
                    .batchSize(batch).size(width, height).listener(new ProgressBar(spec.commandLine().getErr()));
            if (cache != null) {
                builder.with(FeatureInheritance.parse(cache));
            }
            if (second != null) {
                builder.with(new UNetSwitch(second, schedule));
            }
            samplerSettings.forEach(builder::samplerOption);
            if (seed != null) {
                builder.seed(seed);
            }
            if (initLatents != null) {
                builder.initialLatents(LatentsFile.read("--init-latents", initLatents));
            }
            GenerationResult result = builder.generate();
            writeImages(result, output, options.loras(), stdout);
            if (saveLatents != null) {
                LatentsFile.write(saveLatents, result.finalLatents());
            }
            stdout.printf("seed %d, %d steps in %.2f s (UNet %.2f s)%n", result.seed(), result.timesteps().length,
                    result.timings().total().toMillis() / 1000.0, result.timings().unetTotal().toMillis() / 1000.0);
        }
        return 0;
    }

    /** One file per image: {@code --out} itself for one image, numbered files for a batch. */
    private void writeImages(GenerationResult result, ImageOutput output, List<LoraAdapter> adapters,
            PrintWriter stdout) {
        String settings = String.format("%s%nNegative prompt: %s%nSteps: %d, Sampler: %s, CFG scale: %s, Seed: %d, Size: %dx%d",
                prompt, negative, steps, sampler, guidance, result.seed(), result.images().get(0).getWidth(),
                result.images().get(0).getHeight())
                + (clipSkip == 1 ? "" : ", Clip skip: " + clipSkip)
                + (cache == null ? "" : ", Cache: " + FeatureInheritance.parse(cache).spec())
                + (student == null ? "" : ", Switch: " + student + " at " + switchSchedule)
                + LoraOption.settings(adapters);
        for (int i = 0; i < result.images().size(); i++) {
            ImageOutput file = result.images().size() == 1 ? output : output.numbered(i);
            file.write(result.images().get(i), settings);
            stdout.println("wrote " + file.path().toAbsolutePath());
        }
    }

    /** The --switch schedule; --student and --switch come together. */
    private SwitchSchedule switchSchedule() {
        if ((student == null) != (switchSchedule == null)) {
            throw new InvalidRequestException(student == null ? "--switch needs --student FOLDER (the second UNet)"
                    : "--student needs --switch (e.g. 0.4: the first 40% of the calls on the student)");
        }
        if (switchSchedule == null) {
            return null;
        }
        try {
            return SwitchSchedule.parse(switchSchedule);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("--switch: " + e.getMessage());
        }
    }

    private VaeTiling vaeTiling() {
        for (VaeTiling mode : VaeTiling.values()) {
            if (mode.name().equalsIgnoreCase(vaeTiling)) {
                return mode;
            }
        }
        throw new InvalidRequestException("--vae-tiling: expected auto, on or off, got '" + vaeTiling + "'");
    }

    private Map<String, Object> samplerSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        samplerOptions.forEach((field, value) -> settings.put(field, SamplerOptionValues.parse(value)));
        try {
            Samplers.checkOverrides(settings);
        } catch (SamplerConfigException e) {
            throw new InvalidRequestException("--sampler-option: " + e.getMessage());
        }
        return settings;
    }

    private static BufferedImage readImage(Path path) {
        try {
            return PngFiles.read(path);
        } catch (SdmException e) {
            throw new InvalidRequestException("--init-image: " + e.getMessage());
        }
    }
}
