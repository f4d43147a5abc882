package io.github.sdm.samplers;

/**
 * The array primitives diffusers builds its schedules from, reproduced to the bit where the result is stored as
 * float32: torch's CPU {@code linspace} and {@code cumprod}, numpy's {@code linspace}, {@code arange}, {@code interp}
 * and {@code round}, and the Karras sigma and sigma-to-timestep conversions.
 */
final class ScheduleMath {

    private ScheduleMath() {
    }

    /** Floats per AVX2 vector in torch's CPU kernels. */
    private static final int TORCH_VECTOR_WIDTH = 8;

    /**
     * {@code torch.linspace(start, end, steps, dtype=torch.float32)} as torch's AVX2 CPU kernel computes it: element
     * {@code i} is {@code start + step * i} below the halfway point and {@code end - step * (steps - 1 - i)} above,
     * but vectorised in blocks of 8 whose first element is computed with a fused multiply-add and whose others add
     * {@code j * step} to it; the leftover tail is scalar. Which variant is used shows in the last bit of a few betas,
     * which {@code alphas_cumprod} accumulates into a visible difference after a few hundred timesteps.
     */
    static float[] torchLinspace(double start, double end, int steps) {
        float[] out = new float[steps];
        if (steps == 1) {
            out[0] = (float) start;
            return out;
        }
        float s = (float) start;
        float e = (float) end;
        float step = (e - s) / (float) (steps - 1);
        int halfway = steps / 2;
        int vectorized = steps / (2 * TORCH_VECTOR_WIDTH) * (2 * TORCH_VECTOR_WIDTH);
        for (int base = 0; base < vectorized; base += TORCH_VECTOR_WIDTH) {
            float first = base < halfway
                    ? Math.fma(step, (float) base, s)
                    : Math.fma(-step, (float) (steps - base - 1), e);
            for (int j = 0; j < TORCH_VECTOR_WIDTH; j++) {
                out[base + j] = first + (float) j * step;
            }
        }
        for (int i = vectorized; i < steps; i++) {
            out[i] = i < halfway ? s + step * (float) i : e - step * (float) (steps - i - 1);
        }
        return out;
    }

    /** {@code torch.cumprod} of a float32 tensor on the CPU, which accumulates in double and stores float32. */
    static float[] torchCumprod(float[] values) {
        float[] out = new float[values.length];
        double acc = 1.0;
        for (int i = 0; i < values.length; i++) {
            acc *= values[i];
            out[i] = (float) acc;
        }
        return out;
    }

    /** {@code np.linspace(start, stop, num, endpoint)} in float64. */
    static double[] numpyLinspace(double start, double stop, int num, boolean endpoint) {
        double[] out = new double[num];
        if (num == 0) {
            return out;
        }
        int div = endpoint ? num - 1 : num;
        if (div == 0) {
            out[0] = start;
            return out;
        }
        double step = (stop - start) / div;
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        if (endpoint && num > 1) {
            out[num - 1] = stop;
        }
        return out;
    }

    /**
     * {@code np.arange(start, stop, step)} for float arguments: the length is {@code ceil((stop - start) / step)}, the
     * second element is {@code start + step} and the rest {@code start + i * (second - start)}.
     */
    static double[] numpyArange(double start, double stop, double step) {
        double count = Math.ceil((stop - start) / step);
        int length = count > 0 ? (int) count : 0;
        double[] out = new double[length];
        if (length > 0) {
            out[0] = start;
        }
        if (length > 1) {
            out[1] = start + step;
        }
        double delta = (start + step) - start;
        for (int i = 2; i < length; i++) {
            out[i] = start + i * delta;
        }
        return out;
    }

    /** {@code np.round}: round half to even. */
    static double round(double x) {
        return Math.rint(x);
    }

    /** {@code np.interp(x, np.arange(len(fp)), fp)} with float32 table values, evaluated in float64. */
    static double interp(double x, float[] fp) {
        int last = fp.length - 1;
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x <= 0) {
            return fp[0];
        }
        if (x >= last) {
            return fp[last];
        }
        int j = (int) Math.floor(x);
        if (j == x) {
            return fp[j];
        }
        double slope = ((double) fp[j + 1] - fp[j]) / 1.0;
        return slope * (x - j) + fp[j];
    }

    /** {@link #interp(double, float[])} at each timestep. */
    static double[] interp(double[] timesteps, float[] fp) {
        double[] out = new double[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = interp(timesteps[i], fp);
        }
        return out;
    }

    /** The sampling sigmas as diffusers stores them: cast to float32, with {@code finalSigma} appended. */
    static float[] float32WithFinal(double[] sigmas, float finalSigma) {
        float[] out = new float[sigmas.length + 1];
        for (int i = 0; i < sigmas.length; i++) {
            out[i] = (float) sigmas[i];
        }
        out[sigmas.length] = finalSigma;
        return out;
    }

    /** {@code np.log} of a float32 array, kept in float32 with numpy's own rounding. */
    static float[] logs(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = NumpyFloat32Log.log(values[i]);
        }
        return out;
    }

    /**
     * The Karras et al. (2022) schedule {@code (max^(1/rho) + ramp * (min^(1/rho) - max^(1/rho))) ^ rho} with
     * {@code rho = 7} and {@code ramp = linspace(0, 1, n)}, in float64.
     */
    static double[] karrasSigmas(double sigmaMin, double sigmaMax, int n) {
        double rho = 7.0;
        double[] ramp = numpyLinspace(0, 1, n, true);
        double minInvRho = Math.pow(sigmaMin, 1 / rho);
        double maxInvRho = Math.pow(sigmaMax, 1 / rho);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), rho);
        }
        return out;
    }

    /**
     * diffusers' {@code _sigma_to_t}: the fractional training timestep whose log-sigma matches, by linear
     * interpolation in the float32 log-sigma table. numpy 1.x promotes the float64 log-sigma to float32 against that
     * table, so the distances and the interpolation weight are float32 and only the final blend is float64.
     */
    static double sigmaToTimestep(double sigma, float[] logSigmas) {
        float logSigma = (float) Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma - logSigmas[i] >= 0f) {
                low = i;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        int high = low + 1;
        float lo = logSigmas[low];
        float hi = logSigmas[high];
        float w = (lo - logSigma) / (lo - hi);
        w = Math.max(0f, Math.min(1f, w));
        return (double) (1f - w) * low + (double) w * high;
    }

    /** {@link #sigmaToTimestep} of each sigma, rounded to an integer timestep (DPM-Solver, UniPC). */
    static int[] roundedTimesteps(double[] sigmas, float[] logSigmas) {
        int[] out = new int[sigmas.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) round(sigmaToTimestep(sigmas[i], logSigmas));
        }
        return out;
    }

    /** The variance-preserving {@code alpha_t = 1 / sqrt(sigma^2 + 1)} of a Karras sigma, in float32. */
    static float vpAlpha(float sigma) {
        return 1f / (float) Math.sqrt(sigma * sigma + 1f);
    }

    /** The half log-SNR {@code lambda_t = log(alpha_t) - log(sigma_t)} of a Karras sigma, in float32. */
    static float vpLambda(float sigma) {
        float alpha = vpAlpha(sigma);
        return (float) Math.log(alpha) - (float) Math.log(sigma * alpha);
    }
}
