package io.github.sdm.bench.cli;

import io.github.sdm.bench.djl.MatmulCeiling;
import io.github.sdm.bench.djl.UNetCallBench;
import io.github.sdm.bench.djl.UNetComparison;
import io.github.sdm.bench.djl.UNetReport;
import io.github.sdm.bench.perf.PartProfile;
import io.github.sdm.bench.perf.SpiUNetCalls;
import io.github.sdm.bench.report.Format;
import io.github.sdm.bench.report.MachineInfo;
import io.github.sdm.bench.report.MarkdownTable;
import io.github.sdm.bench.report.ReportFooter;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.spi.BackendSelector;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sdm bench unet}: UNet call times, FLOPs per call, the fraction of the matmul ceiling reached, and
 * where the time goes, at one or more image sizes, all measured in one process so the ratios hold
 * whatever the machine's load.
 */
@Command(name = "unet", mixinStandardHelpOptions = true,
        description = "Time UNet calls (batch 2 as under guidance), count their FLOPs, compare with the matmul "
                + "ceiling and break the time down by operation. Without --model: SD 1.5's UNet with seeded "
                + "random weights.")
final class UNetBenchCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", defaultValue = "256,512",
            description = "Image sizes in pixels, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--batch", defaultValue = "2", description = "Batch of each call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "1", description = "Unmeasured calls per size (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "2", description = "Measured calls per size (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--attention-slice", defaultValue = "0",
            description = "Attention slice size, rows of batch*heads at a time; 0 = unsliced (default: ${DEFAULT-VALUE}).")
    int attentionSlice;

    @Option(names = "--model", description = "A diffusers model folder (its unet/ is used) or a UNet folder; "
            + "default: SD 1.5's UNet with seeded random weights.")
    Path model;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random weights and inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    PrecisionOptions precision = new PrecisionOptions();

    @Option(names = "--backend", split = ",", description = "Time the UNet of --model on this backend through the "
            + "network SPI, e.g. onnx for an ONNX export or for the graphs sdm builds from a diffusers folder: call times "
            + "only (the FLOP count, ceiling and breakdown need DJL's part tree). Several, comma-separated (djl,onnx): "
            + "each in turn in this process, on the same inputs, with their ratios to the first. Default: DJL's UNet, "
            + "with all of those.")
    List<String> backends = new ArrayList<>();

    @Option(names = "--compare", split = ",", description = "Other UNets (model or UNet folders, comma-separated) to "
            + "time against --model's in one run, a call of each in turn per round, e.g. assembled students against "
            + "their teacher: prints per-call times and FLOPs as ratios to --model's (one size; no ceiling or breakdown).")
    List<Path> compare = new ArrayList<>();

    @Option(names = "--no-ceiling", description = "Skip the matmul ceiling measurement.")
    boolean noCeiling;

    @Option(names = "--top-parts", defaultValue = "0",
            description = "Also list this many individual parts with the most self time (default: ${DEFAULT-VALUE}).")
    int topParts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (backends.size() > 1) {
            return timeOnBackends(out, err);
        }
        if (backends.size() == 1 && !backends.get(0).equals("djl")) {
            return timeOnBackend(backends.get(0), out, err);
        }
        if (!compare.isEmpty()) {
            return compareUNets(out, err);
        }
        out.println("## UNet call: time, FLOPs, fraction of the matmul ceiling, breakdown");
        out.println();
        out.println("Command: `" + Invocation.of(spec) + "`  ");
        out.println("Machine at start: " + MachineInfo.current().describe());
        out.println();
        double ceiling = Double.NaN;
        if (!noCeiling) {
            err.println("measuring the matmul ceiling...");
            List<MatmulCeiling.Measurement> measured = MatmulCeiling.measureDefaultShapes(2, 5);
            ceiling = UNetReport.ceilingGflops(measured);
            out.println("### Matmul ceiling");
            out.println();
            out.print(UNetReport.ceilingTable(measured).render());
            out.println();
            out.printf(Locale.ROOT, "Ceiling (best median): %.1f GFLOP/s%n%n", ceiling);
            out.flush();
        }
        List<UNetCallBench.Settings> settings = new ArrayList<>();
        for (int size : sizes) {
            settings.add(new UNetCallBench.Settings(size, batch, warmup, runs, attentionSlice, seed));
        }
        UNetCallBench.Runs measuredRuns = UNetCallBench.runAll(model == null ? null : unetFolder(model),
                precision.weightPrecision(), precision.computePrecision(), seed, settings, err);
        List<UNetCallBench.Result> results = measuredRuns.results();
        String weights = measuredRuns.weights();
        int textWidth = measuredRuns.textWidth();
        out.println("### UNet calls");
        out.println();
        out.println("Network: " + weights + "; attention "
                + (attentionSlice == 0 ? "unsliced" : "sliced by " + attentionSlice) + ", timestep "
                + (int) UNetCallBench.TIMESTEP + ", text embedding [" + batch + ", " + UNetCallBench.TEXT_TOKENS
                + ", " + textWidth + "]. GFLOP/s and the fraction of the ceiling count the matmul FLOPs only. diffusers: its CPU "
                + "time per call on the reference machine (measured separately, batch 2).");
        out.println();
        out.print(UNetReport.callTable(results).render());
        out.println();
        out.print(UNetReport.flopTable(results, ceiling).render());
        for (UNetCallBench.Result r : results) {
            out.println();
            out.println("### Where the time goes at " + r.settings().imageSize() + "x" + r.settings().imageSize()
                    + ", batch " + r.settings().batch() + " (self time per call, mean of " + r.settings().runs()
                    + " calls)");
            out.println();
            out.print(UNetReport.breakdownTable(r).render());
            if (topParts > 0) {
                out.println();
                out.print(topPartsTable(r).render());
            }
        }
        out.println();
        ReportFooter.print(out);
        out.flush();
        return 0;
    }

    /**
     * The calls of --model's UNet on each of several backends, through the network SPI: all loaded at once (their
     * memory adds up), then per size the same inputs, one call of each backend per round ({@link
     * SpiUNetCalls#timeInTurn}); ratios to the first backend.
     */
    private Integer timeOnBackends(PrintWriter out, PrintWriter err) {
        if (model == null) {
            throw new InvalidRequestException("--backend " + String.join(",", backends) + " needs --model: a model "
                    + "folder every one of them reads (a diffusers folder for djl,onnx)");
        }
        out.println("## UNet call on the " + String.join(", ", backends) + " backends, in turn");
        out.println();
        out.println("Command: `" + Invocation.of(spec) + "`  ");
        out.println("Machine at start: " + MachineInfo.current().describe());
        out.println();
        ModelLocation location = ModelLocation.folder(model);
        List<DiffusionNetworks> loaded = new ArrayList<>();
        List<List<SpiUNetCalls.Result>> all;
        try {
            for (String backend : backends) {
                err.println("loading the model on the " + backend + " backend...");
                LoadOptions options = precision.applyTo(LoadOptions.defaults().withBackend(backend)
                        .withAttentionSliceSize(attentionSlice));
                loaded.add(BackendSelector.fromClasspath().choose(location, options).load(location, options));
            }
            all = SpiUNetCalls.timeInTurn(loaded, backends, sizes, batch, warmup, runs, seed, line -> {
                err.println(line);
                err.flush();
            });
        } finally {
            loaded.forEach(DiffusionNetworks::close);
        }
        out.println("Network: the UNet of " + model + "; timestep " + (int) SpiUNetCalls.TIMESTEP
                + ", the text encoder's conditioning of empty prompts; batch " + batch + "; per size, " + warmup
                + " unmeasured call(s) of each backend, then " + runs + " rounds of one call of each in turn. "
                + "Speed-up: the first backend's median over the row's.");
        out.println();
        MarkdownTable table = new MarkdownTable("image", "backend", "calls", "median per call", "min - max",
                "speed-up (median)").alignRight(2, 3, 4, 5);
        for (int i = 0; i < sizes.size(); i++) {
            SpiUNetCalls.Result reference = all.get(0).get(i);
            for (int b = 0; b < backends.size(); b++) {
                SpiUNetCalls.Result r = all.get(b).get(i);
                table.row(r.imageSize() + "x" + r.imageSize(), backends.get(b), r.calls().count(),
                        Format.duration(r.calls().median()), Format.range(r.calls().min(), r.calls().max()),
                        Format.ratio((double) reference.calls().median().toNanos() / r.calls().median().toNanos()));
            }
        }
        out.print(table.render());
        out.println();
        ReportFooter.print(out);
        out.flush();
        return 0;
    }

    /** The calls of --model's UNet on {@code backend}, through the network SPI. */
    private Integer timeOnBackend(String backend, PrintWriter out, PrintWriter err) {
        if (model == null) {
            throw new InvalidRequestException("--backend " + backend + " needs --model: a model folder that backend "
                    + "reads (e.g. an ONNX export for onnx)");
        }
        out.println("## UNet call on the " + backend + " backend");
        out.println();
        out.println("Command: `" + Invocation.of(spec) + "`  ");
        out.println("Machine at start: " + MachineInfo.current().describe());
        out.println();
        ModelLocation location = ModelLocation.folder(model);
        LoadOptions options = precision.applyTo(LoadOptions.defaults().withBackend(backend)
                .withAttentionSliceSize(attentionSlice));
        List<SpiUNetCalls.Result> results;
        try (DiffusionNetworks networks = BackendSelector.fromClasspath().choose(location, options).load(location,
                options)) {
            results = SpiUNetCalls.time(networks, sizes, batch, warmup, runs, seed, line -> {
                err.println(line);
                err.flush();
            });
        }
        out.println("Network: the UNet of " + model + "; timestep " + (int) SpiUNetCalls.TIMESTEP
                + ", the text encoder's conditioning of empty prompts.");
        out.println();
        MarkdownTable table = new MarkdownTable("image", "latents", "calls", "median per call", "min - max")
                .alignRight(2, 3, 4);
        for (SpiUNetCalls.Result r : results) {
            table.row(r.imageSize() + "x" + r.imageSize(), Arrays.toString(r.latentShape()),
                    r.calls().count(), Format.duration(r.calls().median()),
                    Format.range(r.calls().min(), r.calls().max()));
        }
        out.print(table.render());
        out.println();
        ReportFooter.print(out);
        out.flush();
        return 0;
    }

    /** --model's UNet and the --compare ones, timed in turn; ratios to --model's. */
    private Integer compareUNets(PrintWriter out, PrintWriter err) {
        if (model == null || sizes.size() != 1 || !backends.isEmpty()) {
            throw new InvalidRequestException("--compare needs --model (the reference), one --sizes value and the "
                    + "default backend");
        }
        List<Path> folders = new ArrayList<>();
        folders.add(unetFolder(model));
        compare.forEach(c -> folders.add(unetFolder(c)));
        out.println("## UNet calls compared, in turn");
        out.println();
        out.println("Command: `" + Invocation.of(spec) + "`  ");
        out.println("Machine at start: " + MachineInfo.current().describe());
        out.println();
        int size = sizes.get(0);
        List<UNetComparison.Row> rows = UNetComparison.run(folders,
                new UNetCallBench.Settings(size, batch, warmup, runs, attentionSlice, seed), err);
        out.println(size + "x" + size + ", batch " + batch + ", float32; " + Math.max(1, warmup) + " unmeasured call(s) "
                + "each, then " + runs + " rounds of one call of each UNet in turn. Speed-up: the first UNet's time "
                + "over the row's.");
        out.println();
        MarkdownTable table = new MarkdownTable("UNet", "parameters", "GFLOP/call", "FLOP ratio", "median call",
                "min - max", "speed-up (median)", "speed-up (min)").alignRight(1, 2, 3, 4, 5, 6, 7);
        UNetComparison.Row reference = rows.get(0);
        for (UNetComparison.Row r : rows) {
            table.row(r.folder().toString(), String.format(Locale.ROOT, "%,d", r.parameters()),
                    Format.giga(r.flopsPerCall().total()),
                    Format.ratio((double) reference.flopsPerCall().total() / r.flopsPerCall().total()),
                    Format.duration(r.calls().median()), Format.range(r.calls().min(), r.calls().max()),
                    Format.ratio((double) reference.calls().median().toNanos() / r.calls().median().toNanos()),
                    Format.ratio((double) reference.calls().min().toNanos() / r.calls().min().toNanos()));
        }
        out.print(table.render());
        out.println();
        ReportFooter.print(out);
        out.flush();
        return 0;
    }

    private MarkdownTable topPartsTable(UNetCallBench.Result r) {
        long n = r.settings().runs();
        MarkdownTable t = new MarkdownTable("part", "kind", "self time/call", "GFLOP/call", "GFLOP/s").alignRight(2, 3, 4);
        r.profile().parts().stream()
                .sorted(Comparator.comparingLong(PartProfile.PartTotals::selfNanos).reversed())
                .limit(topParts)
                .forEach(p -> t.row(p.name().isEmpty() ? "(root)" : p.name(), p.kind().name(),
                        Format.duration(Duration.ofNanos(p.selfNanos() / n)), Format.giga(p.flops().total() / n),
                        p.flops().total() == 0 ? "-" : Format.gigaPerSecond(p.flops().total(), p.selfNanos())));
        return t;
    }

    private void validate() {
        if (sizes.isEmpty()) {
            throw new InvalidRequestException("--sizes: give at least one image size");
        }
        for (int s : sizes) {
            if (s < 64 || s % 64 != 0) {
                throw new InvalidRequestException("--sizes: " + s + " is not a multiple of 64 (the UNet halves the "
                        + "latents three times)");
            }
        }
        if (batch < 1) {
            throw new InvalidRequestException("--batch must be >= 1, got " + batch);
        }
        if (runs < 1 || warmup < 0) {
            throw new InvalidRequestException("--runs must be >= 1 and --warmup >= 0, got " + runs + " and " + warmup);
        }
        if (attentionSlice < 0) {
            throw new InvalidRequestException("--attention-slice must be >= 0, got " + attentionSlice);
        }
        if (model == null && !precision.isFp32()) {
            throw new InvalidRequestException("--weights " + precision.weights + " --compute " + precision.compute
                    + " need --model: the random weights are float32 (scripts/sdm make-model writes an SD 1.5 folder)");
        }
    }

    /** The UNet folder of a model folder, or the folder itself if it holds a UNet config. */
    static Path unetFolder(Path model) {
        if (Files.isRegularFile(model.resolve("unet").resolve(UNet2DConditionModel.CONFIG_FILE))) {
            return model.resolve("unet");
        }
        if (Files.isRegularFile(model.resolve(UNet2DConditionModel.CONFIG_FILE))) {
            return model;
        }
        throw new ModelFormatException("--model " + model + ": neither a model folder with unet/config.json nor a "
                + "UNet folder with config.json");
    }
}
