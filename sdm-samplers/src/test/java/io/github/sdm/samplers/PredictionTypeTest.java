package io.github.sdm.samplers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * Each prediction type's conversions recover the clean sample and the noise a sample was made of: the model output
 * is built from known {@code x0} and {@code eps} as the type defines it, then converted back.
 */
class PredictionTypeTest {

    private static final float[] X0 = {0.8f, -1.3f, 0.05f, 2.1f};
    private static final float[] EPS = {-0.4f, 1.1f, 0.9f, -2.0f};
    private static final float TOLERANCE = 1e-5f;

    @Test
    void variancePreservingConversionsRecoverCleanSampleAndNoise() {
        float alpha = 0.6f;
        float sigma = 0.8f; // alpha^2 + sigma^2 = 1
        float[] sample = combine(alpha, X0, sigma, EPS);
        for (PredictionType type : PredictionType.values()) {
            float[] output = modelOutput(type, alpha, sigma);
            assertArrayEquals(X0, type.predictedSample(output, sample, alpha, sigma), TOLERANCE, type + " x0");
            assertArrayEquals(EPS, type.predictedNoise(output, sample, alpha, sigma), TOLERANCE, type + " eps");
        }
    }

    @Test
    void sigmaFormRecoversCleanSample() {
        float sigma = 2.5f;
        float[] sample = combine(1f, X0, sigma, EPS); // x = x0 + sigma * eps
        // the model saw x / sqrt(sigma^2 + 1) = alpha_t * x0 + sigma_t * eps
        float alpha = 1f / (float) Math.sqrt(sigma * sigma + 1f);
        for (PredictionType type : PredictionType.values()) {
            float[] output = modelOutput(type, alpha, sigma * alpha);
            assertArrayEquals(X0, type.predictedSampleAtSigma(output, sample, sigma), TOLERANCE, type.configName());
        }
    }

    @Test
    void conversionsLeaveTheirInputsAlone() {
        float[] output = EPS.clone();
        float[] sample = X0.clone();
        float[] x0 = PredictionType.SAMPLE.predictedSample(output, sample, 0.6f, 0.8f);
        float[] eps = PredictionType.EPSILON.predictedNoise(output, sample, 0.6f, 0.8f);
        x0[0] = 99f;
        eps[0] = 99f;
        assertArrayEquals(EPS, output);
        assertArrayEquals(X0, sample);
    }

    /** What a perfect model of each type outputs for a sample made of {@link #X0} and {@link #EPS}. */
    private static float[] modelOutput(PredictionType type, float alpha, float sigma) {
        return switch (type) {
            case EPSILON -> EPS.clone();
            case SAMPLE -> X0.clone();
            case V_PREDICTION -> combine(alpha, EPS, -sigma, X0);
        };
    }

    private static float[] combine(float a, float[] x, float b, float[] y) {
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a * x[i] + b * y[i];
        }
        return out;
    }
}
