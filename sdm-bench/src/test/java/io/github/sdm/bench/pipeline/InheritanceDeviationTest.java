package io.github.sdm.bench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.StableDiffusion;
import io.github.sdm.inheritance.InheritancePreset;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

class InheritanceDeviationTest {

    @Test
    void measuresEveryPresetAgainstFullComputation() {
        try (StableDiffusion sd = StableDiffusion.load(TestData.tinySd())) {
            List<InheritanceDeviation.Row> rows = InheritanceDeviation.measure(sd, "a boat", "dpmpp_2m", 6, 7.5, 1);
            assertEquals(InheritancePreset.values().length, rows.size());
            for (InheritanceDeviation.Row row : rows) {
                assertTrue(row.latentMeanAbs() <= row.latentMaxAbs(), row.toString());
                assertTrue(row.latentMaxAbs() > 0, "every preset skips work at 6 steps: " + row);
            }
        }
    }

    @Test
    void psnrAndDifferencesFollowTheirDefinitions() {
        FloatTensor a = new FloatTensor(new float[] {0f, 0.5f, 1f, 0.25f}, new int[] {4});
        FloatTensor b = new FloatTensor(new float[] {0.1f, 0.5f, 1f, 0.25f}, new int[] {4});
        assertEquals(0.1, InheritanceDeviation.maxAbs(a, b), 1e-7);
        assertEquals(0.025, InheritanceDeviation.meanAbs(a, b), 1e-7);
        // mse = 0.01 / 4 -> 10 log10(400) = 26.02 dB
        assertEquals(26.0206, InheritanceDeviation.psnr(a, b), 1e-3);
        assertTrue(Double.isInfinite(InheritanceDeviation.psnr(a, a)));
    }

    @Test
    void theInheritanceComparisonPutsFullComputationFirstThenEveryPreset() {
        List<BenchScenario> scenarios = new InheritanceComparison()
                .scenarios(new BenchScenario("x", "dpmpp_2m", 20, 7.5));
        assertEquals("full", scenarios.get(0).label());
        assertEquals(InheritancePreset.values().length + 1, scenarios.size());
        assertTrue(scenarios.stream().allMatch(s -> s.steps() == 20 && s.sampler().equals("dpmpp_2m")));
    }
}
