package io.github.sdm.bench.quality;

/**
 * Eigen decomposition of a real symmetric matrix by cyclic Jacobi rotations, in plain Java: enough for the
 * square root of a covariance matrix. {@code A = V diag(values) V^T}, the columns of {@code V} the vectors.
 *
 * @param values the eigenvalues
 * @param vectors row-major {@code n x n}, column j the eigenvector of {@code values[j]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {
    private static final int MAX_SWEEPS = 100;

    /** Decomposes the symmetric {@code matrix} (not modified). */
    public static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("matrix row " + i + " has " + matrix[i].length
                        + " entries; a square " + n + "x" + n + " matrix is needed");
            }
            a[i] = matrix[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a) > 1e-22 * (1 + diagonal(a)); sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] != 0) {
                        rotate(a, v, p, q);
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return new SymmetricEigen(values, v);
    }

    /** The square root of a symmetric positive semi-definite matrix; negative rounding-noise eigenvalues count as 0. */
    public static double[][] sqrt(double[][] matrix) {
        SymmetricEigen e = of(matrix);
        int n = matrix.length;
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double root = Math.sqrt(Math.max(0, e.values[k]));
            for (int i = 0; i < n; i++) {
                double vik = e.vectors[i][k] * root;
                for (int j = 0; j < n; j++) {
                    out[i][j] += vik * e.vectors[j][k];
                }
            }
        }
        return out;
    }

    /** One rotation zeroing {@code a[p][q]} (the classic Jacobi step, as in Golub and Van Loan 8.5). */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    private static double offDiagonal(double[][] a) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                if (i != j) {
                    sum += a[i][j] * a[i][j];
                }
            }
        }
        return sum;
    }

    private static double diagonal(double[][] a) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i][i] * a[i][i];
        }
        return sum;
    }
}
