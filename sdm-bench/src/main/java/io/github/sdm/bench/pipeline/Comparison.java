package io.github.sdm.bench.pipeline;

import java.util.List;

/**
 * A set of scenarios timed in one bench run so their end-to-end times can be compared as ratios to the
 * first (the baseline). New comparisons implement this and are added to {@link Comparisons}; a scenario
 * sets anything beyond sampler, steps and guidance through its {@code requestOptions}. Feature inheritance
 * ({@code io.github.sdm.inheritance.FeatureInheritance}, a session extension) for example:
 *
 * <pre>{@code
 * public List<BenchScenario> scenarios(BenchScenario r) {
 *     return List.of(r, new BenchScenario(r.label() + ", DeepCache N=3", r.sampler(), r.steps(), r.guidance(),
 *             b -> b.with(FeatureInheritance.preset("deepcache"))));
 * }
 * }</pre>
 */
public interface Comparison {

    /** The name {@code sdm bench --compare NAME} takes. */
    String name();

    /** One line on what is compared, for the report. */
    String description();

    /**
     * The scenarios, baseline first.
     *
     * @param requested the scenario the bench's own options describe (sampler, steps, guidance)
     */
    List<BenchScenario> scenarios(BenchScenario requested);
}
