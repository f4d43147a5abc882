package io.github.sdm.bench.cli;

import io.github.sdm.bench.pipeline.InheritanceDeviation;
import io.github.sdm.bench.report.MarkdownTable;
import io.github.sdm.core.StableDiffusion;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sdm bench deviation}: how far each feature-inheritance preset moves the result from full computation. */
@Command(name = "deviation", mixinStandardHelpOptions = true,
        description = "Generate once in full and once per feature-inheritance preset (same seed) and print the "
                + "final latents' max and mean absolute difference and the image PSNR, as a Markdown table.")
final class DeviationCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Diffusers model folder (default: the embedded emoji model).")
    Path model;

    @Option(names = "--prompt", defaultValue = "a red apple on a table", description = "Prompt (default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(names = "--sampler", defaultValue = "dpmpp_2m", description = "Sampler (default: ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--steps", defaultValue = "20", description = "Steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--guidance", defaultValue = "7.5", description = "Guidance scale (default: ${DEFAULT-VALUE}).")
    double guidance;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path folder = model != null ? model : EmbeddedModel.folder();
        PrintWriter out = spec.commandLine().getOut();
        MarkdownTable table = new MarkdownTable("preset", "spec", "latents max |diff|", "latents mean |diff|",
                "image PSNR (dB)").alignRight(2, 3, 4);
        try (StableDiffusion sd = StableDiffusion.load(folder)) {
            for (InheritanceDeviation.Row row : InheritanceDeviation.measure(sd, prompt, sampler, steps, guidance,
                    seed)) {
                table.row(row.preset(), "`" + row.spec() + "`", String.format(Locale.ROOT, "%.4f", row.latentMaxAbs()),
                        String.format(Locale.ROOT, "%.4f", row.latentMeanAbs()),
                        Double.isInfinite(row.psnr()) ? "identical" : String.format(Locale.ROOT, "%.1f", row.psnr()));
            }
        }
        out.println("## Feature inheritance: deviation from full computation");
        out.println();
        out.printf(Locale.ROOT, "Model `%s`, %s, %d steps, guidance %s, seed %d, prompt \"%s\".%n%n", folder, sampler,
                steps, guidance, seed, prompt);
        out.print(table.render());
        out.flush();
        return 0;
    }
}
