package io.github.sdm.bench.cli;

import io.github.sdm.bench.pipeline.StageCalls;
import io.github.sdm.bench.report.Format;
import io.github.sdm.bench.report.MachineInfo;
import io.github.sdm.bench.report.MarkdownTable;
import io.github.sdm.bench.report.ReportFooter;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.spi.BackendSelector;
import io.github.sdm.core.spi.DiffusionNetworks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sdm bench backends}: the same model on several backends (DJL's on a diffusers folder, ONNX Runtime's on its
 * export), timed network by network in one process, the backends taking turns call by call, with the time ratios
 * and the largest difference of each output from the first backend's.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"Time each network of one model on several backends in one run, stage by stage (text encoder, "
                + "UNet call per size, VAE decode and encode), the backends taking turns call by call; print each "
                + "stage's times, the first backend's time over each other's, and how far each output is from the "
                + "first backend's.",
                "Example: sdm bench backends --on djl=/work/sd15 --on onnx=/work/sd15-onnx"})
final class BackendsBenchCommand implements Callable<Integer> {

    @Option(names = "--on", required = true, paramLabel = "BACKEND[:WEIGHTS]=FOLDER",
            description = "A backend, optionally the weight precision it holds the weights in (fp32, fp16, bf16, int8; "
                    + "default fp32), and the model folder it loads (repeat; the first is the reference of the ratios "
                    + "and differences), e.g. djl=SD15_FOLDER, onnx=ITS_ONNX_EXPORT, onnx:int8=SD15_FOLDER.")
    List<String> on = new ArrayList<>();

    @Option(names = "--unet-sizes", split = ",", defaultValue = "256,512",
            description = "Image sizes of the UNet calls, comma-separated; 0 for none (default: ${DEFAULT-VALUE}).")
    List<Integer> unetSizes;

    @Option(names = "--batch", defaultValue = "2", description = "Batch of each UNet call (default: ${DEFAULT-VALUE}, "
            + "as under guidance).")
    int batch;

    @Option(names = "--vae-size", defaultValue = "512",
            description = "Image size of the VAE decode and encode; 0 for none (default: ${DEFAULT-VALUE}).")
    int vaeSize;

    @Option(names = "--no-vae-encode", description = "Skip the VAE encoder (img2img's only network).")
    boolean noVaeEncode;

    @Option(names = "--warmup", defaultValue = "1", description = "Unmeasured calls per backend and stage (default: "
            + "${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "3", description = "Measured calls per backend and stage (default: "
            + "${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", defaultValue = "0", description = "Threads for the networks of every backend; "
            + "0 = each engine's default (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--one-at-a-time", description = "Load one backend's model at a time and time all its stages "
            + "before the next is loaded: the memory of one model instead of all, but no call-by-call turns (the "
            + "machine's load may change between backends).")
    boolean oneAtATime;

    @Spec
    CommandSpec spec;

    /** One {@code --on} value: {@code label} is {@code BACKEND[:WEIGHTS]} as given. */
    private record Target(String label, String backend, Precision weights, Path folder) {
        static Target parse(String value) {
            int equals = value.indexOf('=');
            if (equals <= 0 || equals == value.length() - 1) {
                throw new InvalidRequestException("--on " + value + ": expected BACKEND[:WEIGHTS]=FOLDER, e.g. "
                        + "djl=/work/sd15 or onnx:fp16=/work/sd15");
            }
            String label = value.substring(0, equals);
            int colon = label.indexOf(':');
            Precision weights = Precision.FP32;
            if (colon >= 0) {
                String name = label.substring(colon + 1);
                weights = Arrays.stream(Precision.values()).filter(p -> p.name().equalsIgnoreCase(name)).findFirst()
                        .orElseThrow(() -> new InvalidRequestException("--on " + value + ": '" + name + "' is not a "
                                + "weight precision (fp32, fp16, bf16, int8)"));
            }
            return new Target(label, colon >= 0 ? label.substring(0, colon) : label, weights,
                    Path.of(value.substring(equals + 1)));
        }
    }

    @Override
    public Integer call() {
        List<Target> targets = on.stream().map(Target::parse).toList();
        StageCalls.Settings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.println("## Backends compared, stage by stage");
        out.println();
        out.println("Command: `" + Invocation.of(spec) + "`  ");
        out.println("Machine at start: " + MachineInfo.current().describe());
        out.println();
        List<StageCalls.Contender> contenders = new ArrayList<>();
        List<StageCalls.Stage> stages;
        if (oneAtATime) {
            StageCalls.Reference reference = new StageCalls.Reference();
            List<List<StageCalls.Stage>> perBackend = new ArrayList<>();
            for (Target t : targets) {
                StageCalls.Contender contender = load(t, out);
                contenders.add(contender);
                try (DiffusionNetworks networks = contender.networks()) {
                    perBackend.add(StageCalls.time(List.of(contender), settings, reference, progress(err)));
                }
            }
            stages = StageCalls.join(perBackend);
        } else {
            try {
                for (Target t : targets) {
                    contenders.add(load(t, out));
                }
                stages = StageCalls.time(contenders, settings, progress(err));
            } finally {
                contenders.forEach(c -> c.networks().close());
            }
        }
        out.println();
        out.println("Threads " + (threads == 0 ? "each engine's default" : threads) + "; " + warmup + " warm-up call(s) "
                + "per backend and stage, then " + runs + (oneAtATime ? " measured calls, one backend after the other "
                + "(--one-at-a-time). " : " rounds of one call per backend in turn. ") + "Every backend gets "
                + "the same inputs; UNet calls at timestep " + (int) StageCalls.TIMESTEP + ", conditioned on the "
                + "first backend's text encoding. Ratio: the first backend's median over the other's (above 1: the "
                + "other is faster). Difference: the largest absolute difference of the output from the first "
                + "backend's, next to the largest absolute value of that output.");
        out.println();
        out.print(table(contenders, stages).render());
        out.println();
        ReportFooter.print(out);
        out.flush();
        return 0;
    }

    private StageCalls.Contender load(Target t, PrintWriter out) {
        ModelLocation location = ModelLocation.folder(t.folder());
        LoadOptions options = LoadOptions.defaults().withBackend(t.backend()).withThreads(threads)
                .withWeightPrecision(t.weights());
        long start = System.nanoTime();
        DiffusionNetworks networks = BackendSelector.fromClasspath().choose(location, options).load(location, options);
        out.println("- " + t.label() + ": " + t.folder() + " (loaded in "
                + Format.duration(Duration.ofNanos(System.nanoTime() - start)) + ", load average "
                + MachineInfo.current().loadAverage() + ")");
        out.flush();
        return new StageCalls.Contender(t.label(), networks);
    }

    private static Consumer<String> progress(PrintWriter err) {
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    private static MarkdownTable table(List<StageCalls.Contender> contenders, List<StageCalls.Stage> stages) {
        String first = contenders.get(0).label();
        List<String> headers = new ArrayList<>(List.of("stage", "input"));
        for (StageCalls.Contender c : contenders) {
            headers.add(c.label() + " median");
            headers.add(c.label() + " min - max");
        }
        for (StageCalls.Contender c : contenders.subList(1, contenders.size())) {
            headers.add(first + " / " + c.label());
            headers.add(c.label() + " difference");
        }
        MarkdownTable table = new MarkdownTable(headers.toArray(String[]::new));
        int[] right = new int[headers.size() - 2];
        for (int i = 0; i < right.length; i++) {
            right[i] = i + 2;
        }
        table.alignRight(right);
        for (StageCalls.Stage s : stages) {
            List<Object> row = new ArrayList<>(List.of(s.stage(), s.input()));
            s.calls().forEach(d -> {
                row.add(Format.duration(d.median()));
                row.add(Format.range(d.min(), d.max()));
            });
            Duration reference = s.calls().get(0).median();
            for (int i = 1; i < contenders.size(); i++) {
                row.add(Format.ratio((double) reference.toNanos() / s.calls().get(i).median().toNanos()));
                row.add(String.format(Locale.ROOT, "%.1e of %.2g", s.maxAbsDifference().get(i), s.peak()));
            }
            table.row(row.toArray());
        }
        return table;
    }

    private StageCalls.Settings settings() {
        List<Integer> sizes = unetSizes.stream().filter(s -> s != 0).toList();
        for (int s : sizes) {
            if (s < 64 || s % 64 != 0) {
                throw new InvalidRequestException("--unet-sizes: " + s + " is not a multiple of 64 (the UNet halves the "
                        + "latents three times)");
            }
        }
        if (vaeSize < 0 || vaeSize % 8 != 0) {
            throw new InvalidRequestException("--vae-size must be 0 or a positive multiple of 8, got " + vaeSize);
        }
        if (batch < 1) {
            throw new InvalidRequestException("--batch must be >= 1, got " + batch);
        }
        if (runs < 1 || warmup < 0) {
            throw new InvalidRequestException("--runs must be >= 1 and --warmup >= 0, got " + runs + " and " + warmup);
        }
        return new StageCalls.Settings(sizes, batch, vaeSize, !noVaeEncode, warmup, runs, seed);
    }
}
