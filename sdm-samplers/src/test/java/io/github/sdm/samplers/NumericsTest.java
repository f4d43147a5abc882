package io.github.sdm.samplers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The numerical building blocks on their own. */
class NumericsTest {

    @Test
    void quadratureIsAccurateOnSmoothAndSingularIntegrands() {
        assertEquals(2.0, AdaptiveGaussKronrod.integrate(Math::sin, 0, Math.PI, 1e-13), 1e-12);
        assertEquals(Math.PI / 4, AdaptiveGaussKronrod.integrate(x -> 1 / (1 + x * x), 0, 1, 1e-13), 1e-12);
        // a derivative singular at the end point makes the rule bisect
        assertEquals(2.0 / 3, AdaptiveGaussKronrod.integrate(Math::sqrt, 0, 1, 1e-12), 1e-10);
        // reversed limits, as LMS integrates from a larger to a smaller sigma
        assertEquals(-2.0, AdaptiveGaussKronrod.integrate(Math::sin, Math.PI, 0, 1e-13), 1e-12);
    }

    @Test
    void lmsCoefficientsAreIntegralsOfALagrangeBasis() {
        float[] sigmas = {14.6f, 8.1f, 4.3f, 2.2f, 1.1f, 0f};
        for (int t = 0; t < sigmas.length - 1; t++) {
            for (int order = 1; order <= Math.min(t + 1, 4); order++) {
                double sum = 0;
                for (int j = 0; j < order; j++) {
                    sum += LmsSampler.coefficient(sigmas, order, t, j);
                }
                // the basis sums to 1, so the coefficients sum to the step length
                assertEquals((double) sigmas[t + 1] - sigmas[t], sum, 1e-12);
            }
        }
        // order 2, closed form: integral of (tau - s1) / (s0 - s1) from s0 to s_next
        double s0 = sigmas[1];
        double s1 = sigmas[0];
        double next = sigmas[2];
        double exact = ((next - s1) * (next - s1) - (s0 - s1) * (s0 - s1)) / (2 * (s0 - s1));
        assertEquals(exact, LmsSampler.coefficient(sigmas, 2, 1, 0), 1e-12);
    }

    @Test
    void float32LogRoundsAsNumpyDoes() {
        // inputs where numpy's SIMD log differs from the correctly rounded result (bit patterns from numpy on x86)
        int[][] inputAndNumpy = {
            {0x3f543d53, 0xbe3ff600}, {0x40615de5, 0x3fa121de}, {0x3f137bf6, 0xbf0d2c3d},
            {0x4091a0d0, 0x3fc1f608}, {0x417edb3a, 0x403128bd}, {0x3f866350, 0x3d477a18},
        };
        for (int[] pair : inputAndNumpy) {
            float x = Float.intBitsToFloat(pair[0]);
            assertEquals(pair[1], Float.floatToRawIntBits(NumpyFloat32Log.log(x)), "log(" + x + ")");
        }
        assertEquals(0f, NumpyFloat32Log.log(1f));
        assertEquals(Float.NEGATIVE_INFINITY, NumpyFloat32Log.log(0f));
        assertEquals(Float.NaN, NumpyFloat32Log.log(-1f));
    }

    @Test
    void numpyStyleGridsMatchNumpy() {
        assertArrayEquals(new double[] {0, 333, 666, 999}, ScheduleMath.numpyLinspace(0, 999, 4, true));
        assertArrayEquals(new double[] {0, 12.5, 25, 37.5}, ScheduleMath.numpyLinspace(0, 50, 4, false));
        assertArrayEquals(new double[] {1000, 750, 500, 250}, ScheduleMath.numpyArange(1000, 0, -250));
        assertEquals(4, ScheduleMath.numpyArange(1000, 0, -1000.0 / 3.5).length);
        assertEquals(2.0, ScheduleMath.round(2.5));
        assertEquals(4.0, ScheduleMath.round(3.5));
        float[] table = {1f, 3f, 7f};
        assertEquals(2.0, ScheduleMath.interp(0.5, table));
        assertEquals(7.0, ScheduleMath.interp(5, table));
    }

    @Test
    void smallSolverSolvesWithPivoting() {
        float[][] a = {{1e-8f, 1f}, {1f, 1f}};
        float[] x = SmallLinearSolver.solve(a, new float[] {1f, 2f});
        assertEquals(1f, x[0], 1e-6f);
        assertEquals(1f, x[1], 1e-6f);
        float[][] b = {{2, 1, 1}, {1, 3, 2}, {1, 0, 0}};
        float[] y = SmallLinearSolver.solve(b, new float[] {4, 5, 6});
        assertEquals(6f, y[0], 1e-5f);
        assertEquals(15f, y[1], 1e-5f);
        assertEquals(-23f, y[2], 1e-5f);
    }
}
