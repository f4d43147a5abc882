package io.github.sdm.bench.pipeline;

import io.github.sdm.core.StageTimings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs scenarios for timing: first every warm-up generation, then the measured ones in rounds, one
 * generation of each scenario per round. Interleaving makes the scenarios share whatever load the
 * machine has over the run, so their ratios hold even when the absolute times drift.
 */
public final class PipelineBench {
    private PipelineBench() {
    }

    /** The measured generations of each scenario, in the order given. */
    public static List<StageSummary> run(GenerationRunner runner, List<BenchScenario> scenarios,
            BenchSettings settings, Consumer<String> progress) {
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("no scenario to run");
        }
        for (BenchScenario s : scenarios) {
            for (int i = 0; i < settings.warmup(); i++) {
                progress.accept("warm-up " + (i + 1) + "/" + settings.warmup() + ": " + s.label());
                runner.generate(s, settings);
            }
        }
        List<List<StageTimings>> measured = new ArrayList<>();
        scenarios.forEach(s -> measured.add(new ArrayList<>()));
        for (int round = 0; round < settings.runs(); round++) {
            for (int i = 0; i < scenarios.size(); i++) {
                BenchScenario s = scenarios.get(i);
                StageTimings t = runner.generate(s, settings);
                measured.get(i).add(t);
                progress.accept("run " + (round + 1) + "/" + settings.runs() + ": " + s.label() + " "
                        + t.total().toMillis() + " ms");
            }
        }
        List<StageSummary> out = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            out.add(new StageSummary(scenarios.get(i), measured.get(i)));
        }
        return out;
    }
}
