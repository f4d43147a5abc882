package io.github.sdm.bench.djl;

import io.github.sdm.bench.perf.Flops;
import io.github.sdm.bench.perf.PartKind;
import io.github.sdm.bench.perf.PartProfile;
import io.github.sdm.bench.report.DiffusersReference;
import io.github.sdm.bench.report.Format;
import io.github.sdm.bench.report.MarkdownTable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Markdown for the matmul ceiling, UNet call times and FLOPs, and the per-operation breakdown. */
public final class UNetReport {
    private UNetReport() {
    }

    /** The ceiling: the best median throughput over the shapes measured. */
    public static double ceilingGflops(List<MatmulCeiling.Measurement> ceiling) {
        return ceiling.stream().mapToDouble(MatmulCeiling.Measurement::gflops).max().orElse(Double.NaN);
    }

    public static MarkdownTable ceilingTable(List<MatmulCeiling.Measurement> measurements) {
        MarkdownTable t = new MarkdownTable("float32 product", "GFLOP", "runs", "median", "min - max",
                "GFLOP/s (median)", "GFLOP/s (best)").alignRight(1, 2, 3, 5, 6);
        for (MatmulCeiling.Measurement m : measurements) {
            t.row(m.shape(), Format.giga(m.shape().flops()), m.times().count(), Format.duration(m.times().median()),
                    Format.range(m.times().min(), m.times().max()),
                    Format.gigaPerSecond(m.shape().flops(), m.times().median().toNanos()),
                    Format.gigaPerSecond(m.shape().flops(), m.times().min().toNanos()));
        }
        return t;
    }

    /**
     * One row per image size: wall time of the calls, and the CPU time they used. {@code cores busy} is
     * CPU time over wall time: below the core count, the process waited (for other processes on a shared
     * machine, or in single-threaded stretches); a large kernel share means page faults.
     */
    public static MarkdownTable callTable(List<UNetCallBench.Result> results) {
        MarkdownTable t = new MarkdownTable("image", "latents x batch", "runs", "median call", "min - max",
                "CPU/call (user + kernel)", "cores busy").alignRight(2, 3, 5, 6);
        for (UNetCallBench.Result r : results) {
            UNetCallBench.Settings s = r.settings();
            long runs = s.runs();
            long wall = r.calls().values().stream().mapToLong(Duration::toNanos).sum();
            t.row(s.imageSize() + "x" + s.imageSize(), s.latentSize() + "x" + s.latentSize() + " x " + s.batch(),
                    r.calls().count(), Format.duration(r.calls().median()),
                    Format.range(r.calls().min(), r.calls().max()),
                    Format.duration(Duration.ofNanos(r.cpu().userNanos() / runs)) + " + "
                            + Format.duration(Duration.ofNanos(r.cpu().systemNanos() / runs)),
                    String.format(Locale.ROOT, "%.2f", r.cpu().totalNanos() / (double) wall));
        }
        return t;
    }

    /**
     * One row per image size: operations per call, throughput at the median call time, the fraction of
     * the matmul ceiling that is, and the diffusers reference where there is one.
     *
     * @param ceilingGflops the ceiling measured in the same run, or NaN when not measured
     */
    public static MarkdownTable flopTable(List<UNetCallBench.Result> results, double ceilingGflops) {
        MarkdownTable t = new MarkdownTable("image", "batch", "GFLOP/call (matmul + elementwise)", "GFLOP/sample",
                "GFLOP/s (matmul, median call)", "of ceiling", "diffusers call", "sdm / diffusers")
                .alignRight(1, 2, 3, 4, 5, 6, 7);
        for (UNetCallBench.Result r : results) {
            UNetCallBench.Settings s = r.settings();
            Flops f = r.flopsPerCall();
            Duration median = r.calls().median();
            double rate = f.matmul() / (double) median.toNanos();
            Optional<Duration> reference = DiffusersReference.unetCall(s.imageSize(), s.batch());
            t.row(s.imageSize() + "x" + s.imageSize(), s.batch(),
                    Format.giga(f.matmul()) + " + " + Format.giga(f.elementwise()),
                    Format.giga(f.total() / s.batch()),
                    String.format(Locale.ROOT, "%.1f", rate),
                    Double.isNaN(ceilingGflops) ? "n/a" : Format.percent(rate / ceilingGflops),
                    reference.map(Format::duration).orElse("n/a"),
                    reference.map(ref -> Format.ratio(median.toNanos() / (double) ref.toNanos())).orElse("n/a"));
        }
        return t;
    }

    /**
     * Where one call's time goes, by kind of operation, per call (self times, so the rows add up); the CPU time
     * (all threads) beside the wall time shows which operations use the engine's threads.
     */
    public static MarkdownTable breakdownTable(UNetCallBench.Result result) {
        PartProfile profile = result.profile();
        long runs = result.settings().runs();
        Map<PartKind, PartProfile.KindTotals> byKind = profile.byKind();
        long totalNanos = profile.outermostNanos();
        MarkdownTable t = new MarkdownTable("operation", "calls", "time/call", "share", "CPU/call", "GFLOP/call",
                "GFLOP/s").alignRight(1, 2, 3, 4, 5, 6);
        byKind.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().selfNanos(), a.getValue().selfNanos()))
                .forEach(e -> {
                    PartProfile.KindTotals k = e.getValue();
                    t.row(e.getKey().label(), k.calls() / runs, Format.duration(Duration.ofNanos(k.selfNanos() / runs)),
                            Format.percent(k.selfNanos() / (double) totalNanos),
                            Format.duration(Duration.ofNanos(k.selfCpuNanos() / runs)),
                            Format.giga(k.flops().total() / runs),
                            k.flops().total() == 0 ? "-" : Format.gigaPerSecond(k.flops().total(), k.selfNanos()));
                });
        t.row("total", "", Format.duration(Duration.ofNanos(totalNanos / runs)), Format.percent(1),
                Format.duration(Duration.ofNanos(profile.outermostCpuNanos() / runs)),
                Format.giga(profile.totalFlops().total() / runs),
                Format.gigaPerSecond(profile.totalFlops().total(), totalNanos));
        return t;
    }
}
