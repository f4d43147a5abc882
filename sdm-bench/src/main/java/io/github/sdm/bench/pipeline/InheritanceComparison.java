package io.github.sdm.bench.pipeline;

import io.github.sdm.inheritance.InheritancePreset;
import java.util.ArrayList;
import java.util.List;

/**
 * Full computation against every feature-inheritance preset at the requested sampler, steps and guidance:
 * the end-to-end speed-up of each, measured in one run.
 */
public final class InheritanceComparison implements Comparison {

    @Override
    public String name() {
        return "inheritance";
    }

    @Override
    public String description() {
        return "full UNet computation vs each feature-inheritance preset, same sampler and steps";
    }

    @Override
    public List<BenchScenario> scenarios(BenchScenario requested) {
        List<BenchScenario> out = new ArrayList<>();
        out.add(new BenchScenario("full", requested.sampler(), requested.steps(), requested.guidance()));
        for (InheritancePreset preset : InheritancePreset.values()) {
            out.add(new BenchScenario(preset.presetName() + " (" + preset.spec() + ")", requested.sampler(),
                    requested.steps(), requested.guidance(), b -> b.with(preset.inheritance())));
        }
        return out;
    }
}
