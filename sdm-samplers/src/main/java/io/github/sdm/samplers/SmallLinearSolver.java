package io.github.sdm.samplers;

/**
 * Solves the small dense systems of UniPC's coefficient fits in float32, as {@code torch.linalg.solve} does with
 * LAPACK: LU factorisation with partial pivoting (multipliers from the pivot's reciprocal), then forward and back
 * substitution.
 */
final class SmallLinearSolver {

    private SmallLinearSolver() {
    }

    /** {@code x} with {@code a x = b}; {@code a} is row-major, neither argument is modified. */
    static float[] solve(float[][] a, float[] b) {
        int n = b.length;
        float[][] lu = new float[n][];
        for (int i = 0; i < n; i++) {
            lu[i] = a[i].clone();
        }
        float[] x = b.clone();
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(lu[row][col]) > Math.abs(lu[pivot][col])) {
                    pivot = row;
                }
            }
            if (lu[pivot][col] == 0f) {
                throw new ArithmeticException("singular system in UniPC's coefficient fit");
            }
            if (pivot != col) {
                float[] rowTmp = lu[pivot];
                lu[pivot] = lu[col];
                lu[col] = rowTmp;
                float tmp = x[pivot];
                x[pivot] = x[col];
                x[col] = tmp;
            }
            float reciprocal = 1f / lu[col][col];
            for (int row = col + 1; row < n; row++) {
                lu[row][col] = lu[row][col] * reciprocal;
                for (int k = col + 1; k < n; k++) {
                    lu[row][k] = lu[row][k] - lu[row][col] * lu[col][k];
                }
            }
        }
        for (int row = 1; row < n; row++) {
            for (int k = 0; k < row; k++) {
                x[row] = x[row] - lu[row][k] * x[k];
            }
        }
        for (int row = n - 1; row >= 0; row--) {
            x[row] = x[row] / lu[row][row];
            for (int k = 0; k < row; k++) {
                x[k] = x[k] - x[row] * lu[k][row];
            }
        }
        return x;
    }
}
