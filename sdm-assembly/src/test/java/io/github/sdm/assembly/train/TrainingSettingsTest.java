package io.github.sdm.assembly.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TrainingSettingsTest {

    @Test
    void learningRateWarmsUpLinearlyThenFollowsACosineToZero() {
        TrainingSettings s = TrainingSettings.defaults(110, 4, 1e-3, 1).withWarmupSteps(10);
        assertEquals(1e-4, s.learningRateAt(0), 1e-12);
        assertEquals(1e-3, s.learningRateAt(9), 1e-12);
        assertEquals(1e-3, s.learningRateAt(10), 1e-12);
        assertEquals(0.5e-3, s.learningRateAt(60), 1e-12, "half way down the cosine");
        assertEquals(0, s.learningRateAt(110), 1e-12);
        assertEquals(0.1, s.emaDecayAt(0), 1e-12, "the EMA warms up: (1+0)/(10+0)");
        assertEquals(0.999, s.emaDecayAt(100_000), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> TrainingSettings.defaults(0, 4, 1e-3, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainingSettings.defaults(10, 4, -1, 1));
    }

    @Test
    void theNoiseScheduleIsStableDiffusions() {
        DiffusionNoise noise = DiffusionNoise.stableDiffusion();
        assertEquals(1000, noise.timesteps());
        // diffusers' scaled_linear alphas_cumprod: [0] = 1 - 0.00085, [999] = 0.0046600 (float32 printout)
        assertEquals(Math.sqrt(1 - 0.00085), noise.signalScale(0), 1e-7);
        assertEquals(0.0046600, noise.signalScale(999) * noise.signalScale(999), 2e-7);
        assertEquals(1.0, noise.signalScale(500) * noise.signalScale(500) + noise.noiseScale(500) * noise.noiseScale(500),
                1e-6);
    }
}
