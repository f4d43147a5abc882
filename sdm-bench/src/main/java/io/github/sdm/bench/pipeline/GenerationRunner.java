package io.github.sdm.bench.pipeline;

import io.github.sdm.core.StageTimings;

/** Runs one whole generation of a scenario and reports how long each stage took. */
@FunctionalInterface
public interface GenerationRunner {
    StageTimings generate(BenchScenario scenario, BenchSettings settings);
}
