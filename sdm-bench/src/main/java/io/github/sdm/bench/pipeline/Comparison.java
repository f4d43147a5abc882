package io.github.sdm.bench.pipeline;

import java.util.List;

/**
 * A set of scenarios timed in one bench run so their end-to-end times can be compared as ratios to the
 * first (the baseline). New comparisons (feature inheritance, say) implement this and are registered in
 * {@link Comparisons}.
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
