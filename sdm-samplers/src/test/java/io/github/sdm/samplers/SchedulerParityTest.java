package io.github.sdm.samplers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every recorded diffusers run in {@code fixtures/schedulers/} with the analytic model of the fixtures README
 * and compares timesteps, sigmas, every model input, model output and sample, and the final sample. Adding a fixture
 * file adds a case.
 */
class SchedulerParityTest {

    private static final double RELATIVE = 1e-5;
    private static final double ABSOLUTE = 1e-6;

    @TestFactory
    Stream<DynamicTest> everyRecordedRunMatchesDiffusers() throws IOException, URISyntaxException {
        URL folder = getClass().getClassLoader().getResource("fixtures/schedulers");
        assertTrue(folder != null, "fixtures/schedulers missing from the test resources");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(Path.of(folder.toURI()))) {
            listing.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        assertTrue(files.size() > 0, "no fixture files");
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(f)));
    }

    private static void replay(Path file) throws IOException {
        SchedulerFixture fx = SchedulerFixture.read(file);
        Sampler sampler = Samplers.create(fx.schedulerClass(), fx.samplerConfig());
        assertEquals(fx.schedulerClass(), sampler.name());

        StepwiseNoise noise = new StepwiseNoise();
        SamplingRun run = sampler.start(fx.numInferenceSteps(), noise);
        assertArrayEquals(fx.timesteps(), run.timesteps(), fx.fileName() + ": timesteps");
        assertEquals(fx.steps().size(), run.length(), fx.fileName() + ": model calls");
        if (fx.sigmas().length > 0) {
            float[] sigmas = ((AbstractRun) run).sigmas();
            assertEquals(fx.sigmas().length, sigmas.length, fx.fileName() + ": sigma count");
            for (int i = 0; i < sigmas.length; i++) {
                assertClose(fx.fileName() + ": sigmas", new float[] {(float) fx.sigmas()[i]}, new float[] {sigmas[i]});
            }
        }
        assertClose(fx.fileName() + ": init_noise_sigma", new float[] {(float) fx.initNoiseSigma()},
                new float[] {run.initNoiseSigma()});

        double[] timesteps = run.timesteps();
        float[] x = fx.initialSample();
        for (int i = 0; i < timesteps.length; i++) {
            SchedulerFixture.Step recorded = fx.steps().get(i);
            String where = fx.fileName() + " step " + i + " (t=" + timesteps[i] + ")";
            float[] in = run.scaleModelInput(x, i);
            assertClose(where + " model_input", recorded.modelInput(), in);
            float[] eps = AnalyticModel.predict(in, timesteps[i], fx.c());
            assertClose(where + " model_output", recorded.modelOutput(), eps);
            noise.replay(recorded.noise());
            x = run.step(eps, i, x);
            assertClose(where + " prev_sample", recorded.prevSample(), x);
        }
        assertClose(fx.fileName() + " final_sample", fx.finalSample(), x);
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            double allowed = ABSOLUTE + RELATIVE * Math.abs(expected[i]);
            if (!(err <= allowed) && (worstAt < 0 || err / allowed > worst)) {
                worst = err / allowed;
                worstAt = i;
            }
        }
        if (worstAt >= 0) {
            fail(what + ": element " + worstAt + " expected " + expected[worstAt] + " but was " + actual[worstAt]
                    + " (" + String.format("%.3g", worst) + "x the tolerance)");
        }
    }

    /** The analytic stand-in for the UNet used to record the fixtures. */
    static final class AnalyticModel {
        static float[] predict(float[] x, double t, float[] c) {
            float a = (float) (0.5 + 0.3 * Math.cos(Math.PI * t / 1000));
            float b = (float) (0.2 * Math.sin(Math.PI * t / 1000));
            float[] out = new float[x.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = x[i] * a + c[i] * b;
            }
            return out;
        }
    }

    /** Hands each step exactly the noise diffusers drew during that step. */
    static final class StepwiseNoise implements NoiseSource {
        private NoiseSource current = NoiseSource.replaying(List.of());

        void replay(List<float[]> draws) {
            current = NoiseSource.replaying(draws);
        }

        @Override
        public void fill(float[] target) {
            current.fill(target);
        }
    }
}
