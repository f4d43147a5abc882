package io.github.sdm.bench.pipeline;

import io.github.sdm.core.StageTimings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs scenarios for timing: first every warm-up generation, then the measured ones in rounds, one
 * generation of each scenario per round. Interleaving makes the scenarios share whatever load the
 * machine has over the run, so their ratios hold even when the absolute times drift. The first generation of
 * each scenario (a warm-up, or the first measured one without warm-ups) is kept apart: its first calls pay for
 * the engine's and the page cache's warming. Each generation's peak resident memory is read too.
 */
public final class PipelineBench {
    private PipelineBench() {
    }

    /** The measured generations of each scenario, in the order given, without memory peaks. */
    public static List<StageSummary> run(GenerationRunner runner, List<BenchScenario> scenarios,
            BenchSettings settings, Consumer<String> progress) {
        return run(runner, scenarios, settings, progress, PeakMemory.NONE);
    }

    /** The measured generations of each scenario, in the order given, with each one's peak from {@code memory}. */
    public static List<StageSummary> run(GenerationRunner runner, List<BenchScenario> scenarios,
            BenchSettings settings, Consumer<String> progress, PeakMemory memory) {
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("no scenario to run");
        }
        List<MeasuredGeneration> firsts = new ArrayList<>();
        for (BenchScenario s : scenarios) {
            for (int i = 0; i < settings.warmup(); i++) {
                progress.accept("warm-up " + (i + 1) + "/" + settings.warmup() + ": " + s.label());
                MeasuredGeneration g = measure(runner, s, settings, memory);
                if (i == 0) {
                    firsts.add(g);
                }
            }
        }
        List<List<MeasuredGeneration>> measured = new ArrayList<>();
        scenarios.forEach(s -> measured.add(new ArrayList<>()));
        for (int round = 0; round < settings.runs(); round++) {
            for (int i = 0; i < scenarios.size(); i++) {
                BenchScenario s = scenarios.get(i);
                MeasuredGeneration g = measure(runner, s, settings, memory);
                measured.get(i).add(g);
                progress.accept("run " + (round + 1) + "/" + settings.runs() + ": " + s.label() + " "
                        + g.timings().total().toMillis() + " ms");
            }
        }
        List<StageSummary> out = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            List<MeasuredGeneration> runs = measured.get(i);
            MeasuredGeneration first = settings.warmup() > 0 ? firsts.get(i) : runs.get(0);
            out.add(new StageSummary(scenarios.get(i), runs.stream().map(MeasuredGeneration::timings).toList(),
                    first.timings(), runs.stream().map(MeasuredGeneration::peakResidentBytes).toList(),
                    first.peakResidentBytes()));
        }
        return out;
    }

    private static MeasuredGeneration measure(GenerationRunner runner, BenchScenario scenario, BenchSettings settings,
            PeakMemory memory) {
        memory.reset();
        StageTimings timings = runner.generate(scenario, settings);
        return new MeasuredGeneration(timings, memory.peakBytes());
    }

    private record MeasuredGeneration(StageTimings timings, long peakResidentBytes) {
    }
}
