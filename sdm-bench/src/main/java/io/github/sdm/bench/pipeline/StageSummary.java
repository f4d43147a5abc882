package io.github.sdm.bench.pipeline;

import io.github.sdm.bench.perf.Durations;
import io.github.sdm.core.StageTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The measured generations of one scenario, stage by stage. Each stage's statistics are over the
 * measured generations, except {@link #unetCall()}, which is over every UNet call of all of them.
 *
 * @param first the scenario's first generation (a warm-up, or the first measured one), reported apart
 * @param peakResidentBytes each measured generation's peak resident memory (-1 where unknown)
 * @param firstPeakResidentBytes the first generation's peak resident memory (-1 where unknown)
 */
public record StageSummary(BenchScenario scenario, List<StageTimings> runs, StageTimings first,
        List<Long> peakResidentBytes, long firstPeakResidentBytes) {

    public StageSummary {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("scenario '" + scenario.label() + "' has no measured generation");
        }
        runs = List.copyOf(runs);
        peakResidentBytes = List.copyOf(peakResidentBytes);
    }

    /** Measured generations without memory peaks; the first of them is the first generation. */
    public StageSummary(BenchScenario scenario, List<StageTimings> runs) {
        this(scenario, runs, runs.isEmpty() ? null : runs.get(0), java.util.Collections.nCopies(runs.size(), -1L), -1);
    }

    /** Loading and releasing networks for their stages (per-stage residency). */
    public Durations networkResidency() {
        return over(StageTimings::networkResidency);
    }

    public Durations textEncoding() {
        return over(StageTimings::textEncoding);
    }

    public Durations imageEncoding() {
        return over(StageTimings::imageEncoding);
    }

    /** Every UNet call of every measured generation. */
    public Durations unetCall() {
        List<Duration> calls = new ArrayList<>();
        runs.forEach(r -> calls.addAll(r.unetCalls()));
        if (calls.isEmpty()) {
            throw new IllegalStateException("scenario '" + scenario.label() + "' made no UNet call");
        }
        return new Durations(calls);
    }

    /** All UNet calls of a generation together. */
    public Durations unetTotal() {
        return over(StageTimings::unetTotal);
    }

    /** UNet calls in a generation (that of the first measured run; they all run the same schedule). */
    public int unetCallsPerGeneration() {
        return runs.get(0).unetCalls().size();
    }

    /** The sampler's own arithmetic per UNet call (scaling, guidance, the update itself). */
    public Durations samplerStep() {
        return over(r -> r.unetCalls().isEmpty() ? Duration.ZERO : r.samplerSteps().dividedBy(r.unetCalls().size()));
    }

    public Durations imageDecoding() {
        return over(StageTimings::imageDecoding);
    }

    public Durations total() {
        return over(StageTimings::total);
    }

    /** What the stages do not account for: tokenizing, latents set-up, conversions, the image itself. */
    public Durations unaccounted() {
        return over(StageSummary::unaccounted);
    }

    /** The first generation's time outside the stages. */
    public static Duration unaccounted(StageTimings r) {
        return r.total().minus(r.textEncoding()).minus(r.imageEncoding()).minus(r.unetTotal())
                .minus(r.samplerSteps()).minus(r.imageDecoding()).minus(r.networkResidency());
    }

    private Durations over(Function<StageTimings, Duration> stage) {
        return new Durations(runs.stream().map(stage).toList());
    }
}
