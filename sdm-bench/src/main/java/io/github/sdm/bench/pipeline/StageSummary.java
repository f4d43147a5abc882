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
 */
public record StageSummary(BenchScenario scenario, List<StageTimings> runs) {

    public StageSummary {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("scenario '" + scenario.label() + "' has no measured generation");
        }
        runs = List.copyOf(runs);
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
        return over(r -> r.total().minus(r.textEncoding()).minus(r.imageEncoding()).minus(r.unetTotal())
                .minus(r.samplerSteps()).minus(r.imageDecoding()));
    }

    private Durations over(Function<StageTimings, Duration> stage) {
        return new Durations(runs.stream().map(stage).toList());
    }
}
