package io.github.sdm.bench.quality;

import java.util.List;

/**
 * The Fréchet distance between two sets of embeddings, each taken as a Gaussian:
 * {@code |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2))}. The full form is biased upwards by the noise of
 * the estimated covariances unless the samples far outnumber the dimensions (two N(0, I) / N(0, 1.21 I) sets
 * in 768 dimensions, 800 and 2,000 samples: 311 instead of the true 7.7; the diagonal form gives 9.9), so
 * with fewer than {@value #SAMPLES_PER_DIMENSION} samples per dimension in either set only the covariances'
 * diagonals are used (each dimension a separate Gaussian): {@code |mu1 - mu2|^2 + sum (s1 + s2 - 2 sqrt(s1 s2))}.
 */
public final class FrechetDistance {

    /** The distance and which covariance it used. */
    public record Result(double distance, boolean fullCovariance) {
        public String covarianceName() {
            return fullCovariance ? "full" : "diagonal";
        }
    }

    /** How many samples per dimension each set needs before the full covariance is used. */
    public static final int SAMPLES_PER_DIMENSION = 10;

    private FrechetDistance() {
    }

    /** Full covariance when both sets have {@link #SAMPLES_PER_DIMENSION} samples per dimension, else diagonal. */
    public static Result measure(List<float[]> a, List<float[]> b) {
        long needed = (long) SAMPLES_PER_DIMENSION * a.get(0).length;
        boolean full = a.size() >= needed && b.size() >= needed;
        return new Result(full ? full(a, b) : diagonal(a, b), full);
    }

    /** With the covariances' diagonals only. */
    public static double diagonal(List<float[]> a, List<float[]> b) {
        double[] meanA = mean(a);
        double[] meanB = mean(b);
        double[][] covA = covariance(a, meanA, true);
        double[][] covB = covariance(b, meanB, true);
        double sum = squaredDistance(meanA, meanB);
        for (int i = 0; i < meanA.length; i++) {
            sum += covA[i][i] + covB[i][i] - 2 * Math.sqrt(covA[i][i] * covB[i][i]);
        }
        return Math.max(0, sum);
    }

    /** With full covariances; {@code tr((S1 S2)^(1/2)) = tr((S1^(1/2) S2 S1^(1/2))^(1/2))}, a symmetric form. */
    public static double full(List<float[]> a, List<float[]> b) {
        double[] meanA = mean(a);
        double[] meanB = mean(b);
        double[][] covA = covariance(a, meanA, false);
        double[][] covB = covariance(b, meanB, false);
        double[][] rootA = SymmetricEigen.sqrt(covA);
        double[][] middle = multiply(multiply(rootA, covB), rootA);
        double traceRoot = 0;
        for (double value : SymmetricEigen.of(symmetrize(middle)).values()) {
            traceRoot += Math.sqrt(Math.max(0, value));
        }
        double trace = 0;
        for (int i = 0; i < meanA.length; i++) {
            trace += covA[i][i] + covB[i][i];
        }
        return Math.max(0, squaredDistance(meanA, meanB) + trace - 2 * traceRoot);
    }

    static double[] mean(List<float[]> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("the Fréchet distance needs at least one sample in each set");
        }
        double[] mean = new double[samples.get(0).length];
        for (float[] s : samples) {
            if (s.length != mean.length) {
                throw new IllegalArgumentException("embeddings of different lengths: " + s.length + " and "
                        + mean.length);
            }
            for (int i = 0; i < mean.length; i++) {
                mean[i] += s[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= samples.size();
        }
        return mean;
    }

    /** The population covariance (divided by n, so a single sample has none); only the diagonal if asked. */
    static double[][] covariance(List<float[]> samples, double[] mean, boolean diagonalOnly) {
        int d = mean.length;
        double[][] cov = new double[d][d];
        for (float[] s : samples) {
            for (int i = 0; i < d; i++) {
                double di = s[i] - mean[i];
                if (diagonalOnly) {
                    cov[i][i] += di * di;
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    cov[i][j] += di * (s[j] - mean[j]);
                }
            }
        }
        for (double[] row : cov) {
            for (int j = 0; j < d; j++) {
                row[j] /= samples.size();
            }
        }
        return cov;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return sum;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                for (int j = 0; j < n; j++) {
                    out[i][j] += aik * b[k][j];
                }
            }
        }
        return out;
    }

    private static double[][] symmetrize(double[][] m) {
        int n = m.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = (m[i][j] + m[j][i]) / 2;
            }
        }
        return out;
    }
}
