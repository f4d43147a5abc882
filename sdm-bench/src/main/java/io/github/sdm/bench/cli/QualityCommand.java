package io.github.sdm.bench.cli;

import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.assembly.djl.switching.LoadedUNet;
import io.github.sdm.bench.quality.FrechetDistance;
import io.github.sdm.bench.quality.ImageEmbedding;
import io.github.sdm.bench.quality.PixelEmbedding;
import io.github.sdm.bench.quality.QualityBench;
import io.github.sdm.bench.quality.QualityGrid;
import io.github.sdm.bench.quality.QualityPrompts;
import io.github.sdm.bench.quality.QualityVariant;
import io.github.sdm.bench.quality.Retrieval;
import io.github.sdm.bench.quality.VaeLatentEmbedding;
import io.github.sdm.bench.report.MarkdownTable;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.image.PngFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sdm bench quality}: the quality yardstick (docs/quality.md) as Markdown. */
@Command(name = "quality", mixinStandardHelpOptions = true,
        description = {"Generate a fixed prompt set of emoji names (training and held-out names, both styles, "
                + "fixed seeds) and print, as Markdown: prompt fidelity (top-1/top-5 retrieval among all emoji, "
                + "next to chance), realism (Fréchet distance to the real emoji) and, for each --variant, its "
                + "PSNR and mean absolute difference against the full model's pictures. See docs/quality.md."})
final class QualityCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Diffusers model folder (default: the embedded emoji model).")
    Path model;

    @Option(names = "--data", defaultValue = "data/emoji",
            description = "Emoji data folder filled by scripts/fetch-emoji (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--prompts", defaultValue = "32", paramLabel = "N",
            description = "Prompts per group: N training names and N held-out names (default: ${DEFAULT-VALUE}).")
    int perGroup;

    @Option(names = "--spread", defaultValue = "pictures", paramLabel = "pictures|emoji",
            converter = SpelledEnumConverter.Spreads.class,
            description = "What the prompts are spaced through: every picture (skin-tone variations included, so "
                    + "the set follows the data) or every emoji (one picture per emoji and style, so each name "
                    + "weighs the same) (default: ${DEFAULT-VALUE}).")
    QualityPrompts.Spread spread;

    @Option(names = "--variant", paramLabel = "KIND=VALUE[+KIND=VALUE...]",
            description = {"A variant to compare with the full model (repeatable): preset=NAME (a feature-inheritance "
                    + "preset, or its bare name), sampler=NAME, steps=N, vae=FOLDER (e.g. a TAESD), unet=FOLDER (a UNet "
                    + "folder, e.g. an assembled student's unet/) or switch=FOLDER@SCHEDULE (multi-UNet switching: the "
                    + "UNet of FOLDER, a model or UNet folder, computes the calls SCHEDULE names, the model's UNet the "
                    + "rest, as sdm generate --student FOLDER --switch SCHEDULE: @0.3 = the first 30%% of the calls, "
                    + "@last:0.7 = the last 70%%, @calls:0,1,2 = those calls) or weights=TYPE (the model loaded "
                    + "with its weights held as fp16, int8, bf16 or fp32, as --weights).",
                    "Parts of different kinds combine with +, e.g. unet=runs/student/unet+deepcache or "
                    + "switch=runs/student@0.5+deepcache (each UNet keeps its own caches)."})
    List<String> variants = new ArrayList<>();

    @Option(names = "--embedding", defaultValue = "pixels", paramLabel = "pixels|vae[:FOLDER]",
            description = "The image embedding: 'pixels' (16x16 RGB, the default) or 'vae' (mean latents of the VAE "
                    + "encoder of --model, or of the model folder FOLDER).")
    String embeddingName;

    @Option(names = "--sampler", defaultValue = "dpmpp_2m", description = "Sampler (default: ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--steps", defaultValue = "20", description = "Steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--guidance", defaultValue = "7.5", description = "Guidance scale (default: ${DEFAULT-VALUE}).")
    double guidance;

    @Option(names = "--seed", defaultValue = "1000",
            description = "Seed of the first prompt; prompt i uses seed + i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--grid", paramLabel = "FILE",
            description = "Also write a PNG picture grid of the full model's pictures, each beside the real emoji its "
                    + "prompt names (half training, half held-out names), and list its prompts.")
    Path grid;

    @Option(names = "--grid-cells", defaultValue = "16", paramLabel = "N",
            description = "Cells of the --grid picture (default: ${DEFAULT-VALUE}).")
    int gridCells;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<QualityVariant> parsed = new ArrayList<>();
        try {
            for (String v : variants) {
                parsed.add(QualityVariant.parse(v));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (perGroup < 1) {
            throw new ParameterException(spec.commandLine(), "--prompts must be at least 1, got " + perGroup);
        }
        if (gridCells < 1) {
            throw new ParameterException(spec.commandLine(), "--grid-cells must be at least 1, got " + gridCells);
        }
        if (grid != null) {
            WritableFiles.require("--grid", grid);
        }
        EmojiDataset dataset = EmojiDataset.load(data);
        Path folder = model != null ? model : EmbeddedModel.folder();
        List<QualityPrompts.Prompt> prompts = QualityPrompts.of(dataset, perGroup, seed, spread);
        ImageEmbedding embedding = embedding(folder);
        QualityBench.Result result;
        try (StableDiffusion sd = StableDiffusion.load(folder)) {
            result = QualityBench.measure(sd, dataset, prompts, new QualityBench.Settings(sampler, steps, guidance),
                    parsed, embedding, LoadedUNet::load);
        } finally {
            if (embedding instanceof VaeLatentEmbedding vae) {
                vae.close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("## Quality");
        out.println();
        out.printf(Locale.ROOT, "Model `%s`, data `%s`, %s, %d steps, guidance %s, seeds %d to %d, prompts "
                + "\"<name>, <style>\"%s.  %n", folder, data, sampler, steps, guidance, seed, seed + prompts.size() - 1,
                spread == QualityPrompts.Spread.EMOJI ? ", one per emoji (skin-tone variations skipped)" : "");
        out.printf(Locale.ROOT, "Embedding: %s.%n%n", embedding.description());
        out.println("### Prompt fidelity: retrieval among all emoji");
        out.println();
        MarkdownTable fidelity = new MarkdownTable("names", "prompts", "top-1", "top-5", "chance top-1",
                "chance top-5").alignRight(1, 2, 3, 4, 5);
        fidelityRow(fidelity, "training", result.training());
        fidelityRow(fidelity, "held out", result.heldOut());
        out.print(fidelity.render());
        out.println();
        out.println("### Realism: Fréchet distance to the real emoji");
        out.println();
        FrechetDistance.Result realism = result.realism();
        out.print(new MarkdownTable("generated", "real", "covariance", "Fréchet distance").alignRight(0, 1, 3)
                .row(prompts.size(), result.realCount(), realism.covarianceName(), distance(realism))
                .render());
        if (!result.deviations().isEmpty()) {
            out.println();
            out.println("### Deviation from the full model (same seeds)");
            out.println();
            MarkdownTable deviation = new MarkdownTable("variant", "PSNR (dB)", "mean abs diff", "top-1 (all)",
                    "top-5 (all)", "Fréchet distance", "time (s)", "speed-up", "UNet call (ms)",
                    "UNet speed-up per call", "UNet parameters").alignRight(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            deviation.row("full model", "reference", "", percent(result.all().top1()), percent(result.all().top5()),
                    distance(realism), seconds(result.seconds()), "1.00x", milliseconds(result.unetCallSeconds()), "1.00x",
                    parameters(result.unetParameters()));
            for (QualityBench.Deviation d : result.deviations()) {
                deviation.row("`" + d.variant() + "`",
                        Double.isInfinite(d.psnr()) ? "identical" : String.format(Locale.ROOT, "%.1f", d.psnr()),
                        String.format(Locale.ROOT, "%.4f", d.meanAbs()), percent(d.fidelity().top1()),
                        percent(d.fidelity().top5()), distance(d.realism()), seconds(d.seconds()),
                        ratio(result.seconds(), d.seconds()), milliseconds(d.unetCallSeconds()),
                        ratio(result.unetCallSeconds(), d.unetCallSeconds()), parameters(d.unetParameters()));
            }
            out.print(deviation.render());
            out.println();
            out.println("Times: wall time of the whole prompt set in this run, after one warm-up generation each; "
                    + "UNet call: the mean wall time of the set's UNet calls (with feature inheritance, the cheaper "
                    + "calls that reuse features count too; with a switch, both UNets' calls). Speed-ups are the full "
                    + "model's time over the variant's. UNet parameters: a switch's second UNet + the model's. "
                    + "Fréchet distance: each row's pictures against the real emoji, as the realism table "
                    + "(same embedding and covariance).");
        }
        if (grid != null) {
            writeGrid(out, prompts, result);
        }
        out.flush();
        return 0;
    }

    private void writeGrid(PrintWriter out, List<QualityPrompts.Prompt> prompts, QualityBench.Result result) {
        QualityGrid cells = QualityGrid.of(prompts, gridCells);
        PngFiles.write(cells.render(result.pictures()), grid, (String) null);
        out.println();
        out.println("### Picture grid");
        out.println();
        out.printf(Locale.ROOT, "`%s`: each cell is the generated picture, then the real emoji; rows of %d, "
                + "prompts in cell order:%n%n", grid, QualityGrid.COLUMNS);
        List<QualityPrompts.Prompt> captions = cells.captions();
        for (int i = 0; i < captions.size(); i++) {
            out.printf(Locale.ROOT, "%d. %s%s%n", i + 1, captions.get(i).caption(),
                    captions.get(i).heldOut() ? " (held out)" : "");
        }
    }

    private static String distance(FrechetDistance.Result realism) {
        return String.format(Locale.ROOT, "%.3f", realism.distance());
    }

    private static String milliseconds(double seconds) {
        return Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, "%.2f", 1000 * seconds);
    }

    private static String ratio(double reference, double value) {
        return Double.isNaN(reference) || Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.2fx", reference / value);
    }

    /** {@code 4,831,108}, or a switch's {@code 4,831,108 + 5,835,012}. */
    private static String parameters(List<Long> counts) {
        return String.join(" + ", counts.stream().map(c -> String.format(Locale.ROOT, "%,d", c)).toList());
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private ImageEmbedding embedding(Path modelFolder) {
        if (embeddingName.equals("pixels")) {
            return PixelEmbedding.INSTANCE;
        }
        if (embeddingName.equals("vae")) {
            return VaeLatentEmbedding.load(modelFolder);
        }
        if (embeddingName.startsWith("vae:") && embeddingName.length() > 4) {
            return VaeLatentEmbedding.load(Path.of(embeddingName.substring(4)));
        }
        throw new ParameterException(spec.commandLine(), "--embedding '" + embeddingName
                + "': expected pixels, vae or vae:FOLDER");
    }

    private static void fidelityRow(MarkdownTable table, String names, Retrieval.Accuracy accuracy) {
        table.row(names, accuracy.queries(), percent(accuracy.top1()), percent(accuracy.top5()),
                chance(accuracy.chanceTop1()), chance(accuracy.chanceTop5()));
    }

    /** Chance is far below 1% on the real data, so it gets three decimals. */
    private static String chance(double fraction) {
        return String.format(Locale.ROOT, "%.3f%%", 100 * fraction);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }
}
