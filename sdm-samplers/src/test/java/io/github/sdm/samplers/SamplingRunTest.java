package io.github.sdm.samplers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run contract: ordering, isolation of concurrent runs, img2img starts, add_noise, noise sources. */
class SamplingRunTest {

    private static Sampler create(String name, Map<String, ?> overrides) {
        return Samplers.create(name, TestResources.modelFolderConfig(), overrides);
    }

    private static float[] filled(int n, long seed) {
        float[] x = new float[n];
        NoiseSource.seeded(seed).fill(x);
        return x;
    }

    /** A stand-in denoiser for runs whose numbers are only compared with each other. */
    private static float[] model(float[] x, double t) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (0.7 * x[i] + 0.1 * Math.sin(t / 100 + i));
        }
        return out;
    }

    private static float[] denoise(SamplingRun run, float[] start) {
        float[] x = start;
        double[] t = run.timesteps();
        for (int i = 0; i < t.length; i++) {
            x = run.step(model(run.scaleModelInput(x, i), t[i]), i, x);
        }
        return x;
    }

    @Test
    void stepsMustRunInOrder() {
        SamplingRun run = create("dpmpp_2m", Map.of()).start(5, NoiseSource.none());
        float[] x = filled(8, 1);
        assertThrows(IllegalStateException.class, () -> run.step(x, 1, x));
        float[] next = run.step(x, 0, x);
        assertThrows(IllegalStateException.class, () -> run.step(next, 0, next));
        assertThrows(IllegalArgumentException.class, () -> run.step(new float[7], 1, next));
        assertThrows(IndexOutOfBoundsException.class, () -> run.scaleModelInput(next, 5));
        assertThrows(IllegalStateException.class, () -> run.withBatchSize(2));
    }

    @Test
    void runsOfOneSamplerDoNotShareState() {
        for (String name : List.of("dpmpp_3m", "unipc", "heun", "lms", "pndm", "euler_a")) {
            Sampler sampler = create(name, Map.of());
            float[] a0 = filled(16, 2);
            float[] b0 = filled(16, 3);
            float[] aAlone = denoise(sampler.start(8, NoiseSource.seeded(7)), a0);
            float[] bAlone = denoise(sampler.start(8, NoiseSource.seeded(8)), b0);
            // interleave two runs step by step
            SamplingRun a = sampler.start(8, NoiseSource.seeded(7));
            SamplingRun b = sampler.start(8, NoiseSource.seeded(8));
            float[] xa = a0;
            float[] xb = b0;
            double[] t = a.timesteps();
            for (int i = 0; i < t.length; i++) {
                xa = a.step(model(a.scaleModelInput(xa, i), t[i]), i, xa);
                xb = b.step(model(b.scaleModelInput(xb, i), t[i]), i, xb);
            }
            assertArrayEquals(aAlone, xa, name);
            assertArrayEquals(bAlone, xb, name);
        }
    }

    @Test
    void stepsDoNotModifyTheirInputs() {
        for (String name : List.of("ddim", "dpmpp_2m", "euler", "heun", "lms", "pndm", "unipc", "lcm", "ddpm")) {
            SamplingRun run = create(name, Map.of()).start(4, NoiseSource.seeded(1));
            float[] x = filled(8, 4);
            float[] eps = filled(8, 5);
            float[] xCopy = x.clone();
            float[] epsCopy = eps.clone();
            run.step(eps, 0, x);
            assertArrayEquals(xCopy, x, name);
            assertArrayEquals(epsCopy, eps, name);
        }
    }

    @Test
    void img2imgSkipsTheFirstStepsLikeDiffusers() {
        // 10 steps at strength 0.6: int(6.0) = 6 steps run, 4 skipped (diffusers' get_timesteps)
        SamplingRun ddim = create("ddim", Map.of()).startAtStrength(10, 0.6, NoiseSource.none());
        assertArrayEquals(new double[] {501, 401, 301, 201, 101, 1}, ddim.timesteps());
        assertEquals(6, ddim.numInferenceSteps());

        Sampler heun = create("heun", Map.of());
        double[] full = heun.start(10, NoiseSource.none()).timesteps();
        SamplingRun partial = heun.startAtStrength(10, 0.6, NoiseSource.none());
        assertEquals(2 * 6 - 1, partial.length());
        assertArrayEquals(Arrays.copyOfRange(full, 8, full.length), partial.timesteps());
        assertEquals(2, partial.order());

        // LCM shrinks its timestep grid instead of skipping steps
        SamplingRun lcm = create("lcm", Map.of()).startAtStrength(4, 0.5, NoiseSource.none());
        assertArrayEquals(new double[] {499, 379, 259, 139}, lcm.timesteps());
    }

    @Test
    void addNoiseUsesTheNoiseLevelOfTheRunsFirstStep() {
        float[] clean = filled(32, 10);
        float[] noise = filled(32, 11);

        SamplingRun ddim = create("ddim", Map.of()).startAtStrength(10, 0.6, NoiseSource.none());
        NoiseSchedule schedule = NoiseSchedule.read(TestResources.modelFolderConfig(),
                NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED);
        float alpha = schedule.alphaCumprod(501);
        float[] noised = ddim.addNoise(clean, noise, 0);
        for (int i = 0; i < clean.length; i++) {
            assertEquals((float) Math.sqrt(alpha) * clean[i] + (float) Math.sqrt(1 - alpha) * noise[i], noised[i]);
        }

        AbstractRun euler = (AbstractRun) create("euler", Map.of()).startAtStrength(10, 0.5, NoiseSource.none());
        float sigma = euler.sigmas()[5];
        float[] eulerNoised = euler.addNoise(clean, noise, 0);
        for (int i = 0; i < clean.length; i++) {
            assertEquals(clean[i] + noise[i] * sigma, eulerNoised[i]);
        }

        AbstractRun dpm = (AbstractRun) create("dpmpp_2m", Map.of()).startAtStrength(10, 0.5, NoiseSource.none());
        float dpmSigma = dpm.sigmas()[5];
        float a = 1f / (float) Math.sqrt(dpmSigma * dpmSigma + 1f);
        float[] dpmNoised = dpm.addNoise(clean, noise, 0);
        for (int i = 0; i < clean.length; i++) {
            assertEquals(a * clean[i] + dpmSigma * a * noise[i], dpmNoised[i]);
        }
    }

    @Test
    void initNoiseSigmaFollowsTheSpacing() {
        AbstractRun linspace = (AbstractRun) create("euler", Map.of()).start(10, NoiseSource.none());
        assertEquals(linspace.sigmas()[0], linspace.initNoiseSigma());
        AbstractRun leading = (AbstractRun) create("euler", Map.of("timestep_spacing", "leading")).start(10,
                NoiseSource.none());
        float max = leading.sigmas()[0];
        assertEquals((float) Math.sqrt(max * max + 1f), leading.initNoiseSigma());
        assertEquals(1.0f, create("ddim", Map.of()).start(10, NoiseSource.none()).initNoiseSigma());
    }

    @Test
    void seededNoiseIsReproducibleAndStandardNormal() {
        float[] a = filled(200_000, 42);
        assertArrayEquals(a, filled(200_000, 42));
        assertNotEquals(a[0], filled(1, 43)[0]);
        double mean = 0;
        double square = 0;
        double beyondTwo = 0;
        for (float v : a) {
            mean += v / (double) a.length;
            square += v * (double) v / a.length;
            beyondTwo += Math.abs(v) > 2 ? 1.0 / a.length : 0;
        }
        assertEquals(0, mean, 0.01);
        assertEquals(1, square - mean * mean, 0.01);
        assertEquals(0.0455, beyondTwo, 0.002); // P(|z| > 2) of a standard normal
        // samplers draw the same noise from the same seed
        Sampler eulerA = create("euler_a", Map.of());
        float[] start = filled(16, 1);
        assertArrayEquals(denoise(eulerA.start(5, NoiseSource.seeded(9)), start),
                denoise(eulerA.start(5, NoiseSource.seeded(9)), start));
    }

    @Test
    void recordedNoiseFailsLoudly() {
        NoiseSource source = NoiseSource.replaying(List.of(new float[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> source.fill(new float[3]));
        float[] draw = new float[2];
        source.fill(draw);
        assertArrayEquals(new float[] {1, 2}, draw);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> source.fill(new float[2]));
        assertTrue(e.getMessage().contains("exhausted"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> denoise(create("euler_a", Map.of()).start(3, NoiseSource.none()), new float[4]));
    }

    @Test
    void dynamicThresholdingClipsEachImageAtItsOwnQuantile() {
        SamplerConfig config = SamplerConfig.of(Map.of("thresholding", true, "dynamic_thresholding_ratio", 0.9,
                "sample_max_value", 4.0));
        PredictedSampleClipping clipping = PredictedSampleClipping.read(config, true, true);
        float[] x0 = new float[202];
        for (int i = 0; i <= 100; i++) {
            x0[i] = 0.004f * (i - 50); // |x| <= 0.2: the quantile is below 1, so s = 1 leaves it unchanged
            x0[101 + i] = -0.1f * i; // |x| up to 10: the 0.9 quantile is 9, capped at 4
        }
        float[] expected = x0.clone();
        for (int i = 0; i <= 100; i++) {
            expected[101 + i] = Math.max(-4f, x0[101 + i]) / 4f;
        }
        clipping.apply(x0, 2);
        assertArrayEquals(expected, x0);
    }
}
