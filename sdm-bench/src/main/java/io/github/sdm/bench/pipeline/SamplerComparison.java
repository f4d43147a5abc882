package io.github.sdm.bench.pipeline;

import java.util.List;

/**
 * Samplers at the step counts they are used with: PNDM 50 (diffusers' default), DPM-Solver++ 20 and 10,
 * LCM 4. LCM runs without classifier-free guidance (scale 1), as LCM models are used, so each of its
 * steps is one batch-1 UNet call; the others use the requested guidance.
 */
public final class SamplerComparison implements Comparison {

    @Override
    public String name() {
        return "samplers";
    }

    @Override
    public String description() {
        return "PNDM 50 steps vs DPM-Solver++ 20 and 10 vs LCM 4 (LCM without guidance)";
    }

    @Override
    public List<BenchScenario> scenarios(BenchScenario requested) {
        double g = requested.guidance();
        return List.of(
                new BenchScenario("PNDM 50", "pndm", 50, g),
                new BenchScenario("DPM-Solver++ 20", "dpmpp_2m", 20, g),
                new BenchScenario("DPM-Solver++ 10", "dpmpp_2m", 10, g),
                new BenchScenario("LCM 4", "lcm", 4, 1.0));
    }
}
