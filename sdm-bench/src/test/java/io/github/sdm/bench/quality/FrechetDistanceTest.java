package io.github.sdm.bench.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    private static List<float[]> gaussian(int count, int dimensions, long seed, double scale, double shift) {
        Random random = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] v = new float[dimensions];
            for (int d = 0; d < dimensions; d++) {
                v[d] = (float) (scale * random.nextGaussian() + shift);
            }
            out.add(v);
        }
        return out;
    }

    private static List<float[]> shifted(List<float[]> samples, float by) {
        return samples.stream().map(v -> {
            float[] s = v.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] += by;
            }
            return s;
        }).toList();
    }

    @Test
    void aSetAgainstItselfIsAtZero() {
        List<float[]> set = gaussian(50, 4, 1, 1, 0);
        assertEquals(0, FrechetDistance.full(set, set), 1e-9);
        assertEquals(0, FrechetDistance.diagonal(set, set), 1e-12);
    }

    @Test
    void aShiftAddsItsSquaredLengthAndGrowsWithIt() {
        List<float[]> set = gaussian(50, 4, 2, 1, 0);
        // same covariance: only the means differ, by 0.5 in each of 4 dimensions: 4 * 0.25 = 1
        assertEquals(1.0, FrechetDistance.full(set, shifted(set, 0.5f)), 1e-6);
        assertEquals(1.0, FrechetDistance.diagonal(set, shifted(set, 0.5f)), 1e-6);
        assertEquals(4.0, FrechetDistance.diagonal(set, shifted(set, 1f)), 1e-6);
    }

    @Test
    void fullCovarianceMatchesTheClosedFormForScaledSets() {
        // B = 2A (zero-mean): S_B = 4 S_A, so tr(S_A + S_B - 2 (S_A S_B)^(1/2)) = tr(S_A) (1 + 4 - 4) = tr(S_A)
        List<float[]> a = gaussian(200, 3, 3, 1, 0);
        List<float[]> centred = shifted(a, 0); // copy
        double[] mean = FrechetDistance.mean(centred);
        List<float[]> zeroMean = centred.stream().map(v -> {
            float[] s = v.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] -= (float) mean[i];
            }
            return s;
        }).toList();
        List<float[]> doubled = zeroMean.stream().map(v -> {
            float[] s = v.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] *= 2;
            }
            return s;
        }).toList();
        double[][] cov = FrechetDistance.covariance(zeroMean, FrechetDistance.mean(zeroMean), false);
        double trace = cov[0][0] + cov[1][1] + cov[2][2];
        assertEquals(trace, FrechetDistance.full(zeroMean, doubled), 1e-4);
    }

    @Test
    void fewSamplesUseTheDiagonalManyTheFullCovariance() {
        FrechetDistance.Result few = FrechetDistance.measure(gaussian(39, 4, 4, 1, 0), gaussian(100, 4, 5, 1, 0));
        assertFalse(few.fullCovariance());
        assertEquals("diagonal", few.covarianceName());
        FrechetDistance.Result many = FrechetDistance.measure(gaussian(40, 4, 4, 1, 0), gaussian(40, 4, 5, 1, 0));
        assertTrue(many.fullCovariance());
        assertTrue(many.distance() > 0);
    }

    @Test
    void eigenDecompositionOfAKnownMatrix() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3; its square root squared is itself
        double[] values = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}}).values().clone();
        java.util.Arrays.sort(values);
        assertArrayEquals(new double[] {1, 3}, values, 1e-12);
        double[][] root = SymmetricEigen.sqrt(new double[][] {{2, 1}, {1, 2}});
        double[][] squared = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                squared[i][j] = root[i][0] * root[0][j] + root[i][1] * root[1][j];
            }
        }
        assertArrayEquals(new double[] {2, 1}, squared[0], 1e-12);
        assertArrayEquals(new double[] {1, 2}, squared[1], 1e-12);
    }
}
