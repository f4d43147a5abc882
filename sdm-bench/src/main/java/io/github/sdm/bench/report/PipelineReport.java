package io.github.sdm.bench.report;

import io.github.sdm.bench.perf.Durations;
import io.github.sdm.bench.pipeline.StageSummary;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Markdown for timed generations: stage by stage for one scenario, end to end across compared ones. */
public final class PipelineReport {
    private PipelineReport() {
    }

    /** Median and spread of each stage of one scenario's measured generations. */
    public static MarkdownTable stageTable(StageSummary s) {
        MarkdownTable t = new MarkdownTable("stage", "median", "min - max", "share of end to end")
                .alignRight(1, 3);
        Duration total = s.total().median();
        row(t, "text encoding", s.textEncoding(), total);
        if (!s.imageEncoding().max().isZero()) {
            row(t, "image encoding", s.imageEncoding(), total);
        }
        t.row("UNet, per call (" + s.unetCallsPerGeneration() + " calls)", Format.duration(s.unetCall().median()),
                Format.range(s.unetCall().min(), s.unetCall().max()), "");
        row(t, "UNet, all calls", s.unetTotal(), total);
        t.row("sampler arithmetic, per call", Format.duration(s.samplerStep().median()),
                Format.range(s.samplerStep().min(), s.samplerStep().max()), "");
        row(t, "VAE decode", s.imageDecoding(), total);
        row(t, "other (prompt set-up, latents, image conversion)", s.unaccounted(), total);
        row(t, "end to end", s.total(), total);
        return t;
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

    private static void row(MarkdownTable t, String stage, Durations d, Duration total) {
        t.row(stage, Format.duration(d.median()), Format.range(d.min(), d.max()),
                Format.percent(d.median().toNanos() / (double) total.toNanos()));
    }
}
