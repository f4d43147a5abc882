package io.github.sdm.bench.report;

import io.github.sdm.bench.perf.Durations;
import io.github.sdm.bench.pipeline.StageSummary;
import io.github.sdm.core.StageTimings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Markdown for timed generations: stage by stage for one scenario, end to end across compared ones. */
public final class PipelineReport {
    private PipelineReport() {
    }

    /**
     * Median and spread of each stage of one scenario's measured generations, beside the scenario's first
     * generation (its UNet row: the very first call, the cold one).
     */
    public static MarkdownTable stageTable(StageSummary s) {
        MarkdownTable t = new MarkdownTable("stage", "first generation", "median", "min - max", "share of end to end")
                .alignRight(1, 2, 4);
        Duration total = s.total().median();
        StageTimings first = s.first();
        row(t, "text encoding", first.textEncoding(), s.textEncoding(), total);
        if (!s.imageEncoding().max().isZero()) {
            row(t, "image encoding (VAE encoder)", first.imageEncoding(), s.imageEncoding(), total);
        }
        t.row("UNet, per call (" + s.unetCallsPerGeneration() + " calls)",
                first.unetCalls().isEmpty() ? "" : Format.duration(first.unetCalls().get(0)) + " (first call)",
                Format.duration(s.unetCall().median()), Format.range(s.unetCall().min(), s.unetCall().max()), "");
        row(t, "UNet, all calls", first.unetTotal(), s.unetTotal(), total);
        t.row("sampler arithmetic, per call", "", Format.duration(s.samplerStep().median()),
                Format.range(s.samplerStep().min(), s.samplerStep().max()), "");
        row(t, "VAE decode", first.imageDecoding(), s.imageDecoding(), total);
        if (s.networkResidency().max().compareTo(Duration.ofMillis(1)) >= 0) {
            row(t, "loading and releasing networks (per stage)", first.networkResidency(), s.networkResidency(),
                    total);
        }
        row(t, "other (prompt set-up, latents, image conversion)", StageSummary.unaccounted(first), s.unaccounted(),
                total);
        row(t, "end to end", first.total(), s.total(), total);
        return t;
    }

    /**
     * {@code Peak RSS per generation: first 5.31 GiB; measured median 5.28 GiB (5.27 GiB - 5.30 GiB)}, or empty
     * where the peaks are unknown.
     */
    public static String peakResidentLine(StageSummary s) {
        List<Long> peaks = s.peakResidentBytes().stream().filter(p -> p >= 0).sorted().toList();
        if (peaks.isEmpty() || s.firstPeakResidentBytes() < 0) {
            return "";
        }
        long median = peaks.size() % 2 == 1 ? peaks.get(peaks.size() / 2)
                : (peaks.get(peaks.size() / 2 - 1) + peaks.get(peaks.size() / 2)) / 2;
        return "Peak RSS per generation: first " + Format.bytes(s.firstPeakResidentBytes()) + "; measured median "
                + Format.bytes(median) + " (" + Format.bytes(peaks.get(0)) + " - " + Format.bytes(peaks.get(peaks.size() - 1))
                + ")";
    }

    /**
     * End-to-end times of compared scenarios and their ratio to the first: {@code time ratio} is this
     * scenario's median over the baseline's, {@code speed-up} its inverse.
     */
    public static MarkdownTable comparisonTable(List<StageSummary> summaries) {
        MarkdownTable t = new MarkdownTable("scenario", "sampler", "steps", "guidance", "UNet calls",
                "UNet per call", "end to end (median)", "min - max", "time / baseline", "speed-up")
                .alignRight(2, 3, 4, 5, 6, 8, 9);
        double baseline = summaries.get(0).total().median().toNanos();
        for (StageSummary s : summaries) {
            double median = s.total().median().toNanos();
            t.row(s.scenario().label(), s.scenario().sampler(), s.scenario().steps(),
                    String.format(Locale.ROOT, "%.1f", s.scenario().guidance()), s.unetCallsPerGeneration(),
                    Format.duration(s.unetCall().median()), Format.duration(s.total().median()),
                    Format.range(s.total().min(), s.total().max()), Format.ratio(median / baseline),
                    Format.ratio(baseline / median));
        }
        return t;
    }

    private static void row(MarkdownTable t, String stage, Duration first, Durations d, Duration total) {
        t.row(stage, Format.duration(first), Format.duration(d.median()), Format.range(d.min(), d.max()),
                Format.percent(d.median().toNanos() / (double) total.toNanos()));
    }
}
