package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ActivationsTest {
    private static final float[] X = {-4f, -1.5f, -0.3f, 0f, 0.2f, 1f, 2.5f, 6f};

    @Test
    void siluGeluQuickGeluAndGegluFollowTheirDefinitions() {
        float[] silu = new float[X.length];
        float[] gelu = new float[X.length];
        float[] quick = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            double x = X[i];
            silu[i] = (float) (x / (1 + Math.exp(-x)));
            gelu[i] = (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
            quick[i] = (float) (x / (1 + Math.exp(-1.702 * x)));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(X);
            assertArrayEquals(silu, Activations.silu(x).toFloatArray(), 1e-6f);
            assertArrayEquals(gelu, Activations.gelu(x).toFloatArray(), 1e-6f);
            assertArrayEquals(quick, Activations.quickGelu(x).toFloatArray(), 1e-6f);
            // GEGLU: first half times gelu(second half)
            NDArray pair = m.create(new float[] {1f, 2f, -1f, 0.5f}, new Shape(1, 4));
            float[] geglu = Activations.geglu(pair).toFloatArray();
            assertArrayEquals(new float[] {(float) (1 * 0.5 * -1 * (1 + erf(-1 / Math.sqrt(2)))),
                (float) (2 * 0.5 * 0.5 * (1 + erf(0.5 / Math.sqrt(2))))}, geglu, 1e-6f);
        }
    }

    /** erf by Simpson integration of 2/sqrt(pi) exp(-t^2) on [0, x], accurate to ~1e-12 for abs(x) <= 5. */
    private static double erf(double x) {
        int steps = 20000;
        double h = x / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double t = i * h;
            double f = Math.exp(-t * t);
            sum += (i == 0 || i == steps) ? f : (i % 2 == 1 ? 4 * f : 2 * f);
        }
        return 2 / Math.sqrt(Math.PI) * sum * h / 3;
    }
}
