package io.github.sdm.bench.pipeline;

import io.github.sdm.inheritance.InheritancePreset;
import java.util.List;

/** Full computation against DeepCache's default preset alone, at the requested sampler, steps and guidance. */
public final class DeepCacheComparison implements Comparison {

    @Override
    public String name() {
        return "deepcache";
    }

    @Override
    public String description() {
        return "full UNet computation vs the deepcache preset (" + InheritancePreset.DEEPCACHE.spec()
                + "), same sampler and steps";
    }

    @Override
    public List<BenchScenario> scenarios(BenchScenario requested) {
        InheritancePreset preset = InheritancePreset.DEEPCACHE;
        return List.of(new BenchScenario("full", requested.sampler(), requested.steps(), requested.guidance()),
                new BenchScenario(preset.presetName(), requested.sampler(), requested.steps(), requested.guidance(),
                        b -> b.with(preset.inheritance())));
    }
}
