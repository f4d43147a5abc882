package io.github.sdm.bench.cli;

import io.github.sdm.bench.model.SyntheticModel;
import io.github.sdm.bench.report.Format;
import io.github.sdm.core.safetensors.DType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sdm make-model}: a full-size SD 1.5 folder with seeded random weights, for benchmarks. */
@Command(name = "make-model", mixinStandardHelpOptions = true,
        description = "Write a diffusers Stable Diffusion 1.5 folder with the real dimensions and seeded random "
                + "weights (for measuring speed and memory; its images are noise).")
final class MakeModelCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Folder to create (must not exist or be empty).")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--fp16", description = "Store the weights as float16 (half the size; loaded as float32).")
    boolean fp16;

    @Option(names = "--unet-only", description = "Write only the UNet, scheduler and tokenizer (no VAE, text encoder).")
    boolean unetOnly;

    @Option(names = "--taesd", description = "Also write a TAESD (AutoencoderTiny, diffusers' default config) with "
            + "random weights to the sub-folder taesd/, for --vae.")
    boolean taesd;

    @Option(names = "--tokenizer", description = "CLIP tokenizer folder to copy (default: the embedded emoji model's, "
            + "models/emoji-sd/tokenizer, which is CLIP's real vocabulary).")
    Path tokenizer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> progress = line -> {
            err.println(line);
            err.flush();
        };
        long start = System.nanoTime();
        SyntheticModel.Options options = new SyntheticModel.Options(seed, fp16 ? DType.F16 : DType.F32, unetOnly);
        SyntheticModel.Written written = SyntheticModel.stableDiffusion15().write(out, options,
                tokenizer != null ? tokenizer : EmbeddedModel.folder().resolve("tokenizer"), progress);
        List<String> components = new ArrayList<>(written.components());
        long parameters = written.parameterCount();
        if (taesd) {
            parameters += SyntheticModel.writeTaesd(out.resolve(SyntheticModel.TAESD), options, progress);
            components.add(SyntheticModel.TAESD);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("%s: %s, %,d parameters, seed %d, written in %s%n", written.folder(),
                String.join(" ", components), parameters, seed,
                Format.duration(Duration.ofNanos(System.nanoTime() - start)));
        stdout.flush();
        return 0;
    }
}
