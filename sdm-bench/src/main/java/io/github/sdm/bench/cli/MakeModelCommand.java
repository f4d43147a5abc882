package io.github.sdm.bench.cli;

import io.github.sdm.bench.model.SyntheticModel;
import io.github.sdm.bench.report.Format;
import io.github.sdm.core.safetensors.DType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
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

    @Option(names = "--tokenizer", description = "CLIP tokenizer folder to copy (default: the embedded emoji model's, "
            + "models/emoji-sd/tokenizer, which is CLIP's real vocabulary).")
    Path tokenizer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        SyntheticModel.Written written = SyntheticModel.stableDiffusion15().write(out,
                new SyntheticModel.Options(seed, fp16 ? DType.F16 : DType.F32, unetOnly),
                tokenizer != null ? tokenizer : EmbeddedModel.folder().resolve("tokenizer"), line -> {
                    err.println(line);
                    err.flush();
                });
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("%s: %s, %,d parameters, seed %d, written in %s%n", written.folder(),
                String.join(" ", written.components()), written.parameterCount(), seed,
                Format.duration(Duration.ofNanos(System.nanoTime() - start)));
        stdout.flush();
        return 0;
    }
}
