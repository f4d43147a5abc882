package io.github.sdm.samplers;

/**
 * A run of the multistep solvers in log-SNR (DPM-Solver, UniPC): integer timesteps, a sigma per timestep plus a final
 * one, and the history of converted model outputs. Each sigma stands for the variance-preserving pair
 * {@code alpha_t = 1 / sqrt(sigma^2 + 1)}, {@code sigma_t = sigma * alpha_t} (diffusers'
 * {@code _sigma_to_alpha_sigma_t}) and the half log-SNR {@code lambda_t = log(alpha_t) - log(sigma_t)}, all in
 * float32.
 */
abstract class MultistepRun extends AbstractRun {

    /** The sampling sigmas by global index, with the final sigma after the last timestep's. */
    final float[] sigmas;
    /** Converted model outputs, oldest first; empty slots are {@code null} until the warm-up fills them. */
    private final float[][] history;
    /** Model outputs seen, capped at the solver order (diffusers' {@code lower_order_nums}). */
    int lowerOrderNums;

    MultistepRun(int[] timesteps, float[] sigmas, int solverOrder, int begin, int numInferenceSteps,
            NoiseSource noise) {
        super(InferenceTimesteps.toDouble(timesteps), begin, numInferenceSteps, 1, noise);
        this.sigmas = sigmas;
        this.history = new float[solverOrder][];
    }

    /** {@code solver_order} as both solvers take it: 1, 2 or 3, by default 2. */
    static int readSolverOrder(SamplerConfig config) {
        int solverOrder = config.getInt("solver_order", 2);
        if (solverOrder < 1 || solverOrder > 3) {
            throw new SamplerConfigException("solver_order", solverOrder, "must be 1, 2 or 3");
        }
        return solverOrder;
    }

    @Override
    final float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public final float initNoiseSigma() {
        return 1.0f;
    }

    /**
     * {@code alpha_t * original + sigma_t * noise} at the run's sigma, as diffusers' DPM-Solver and UniPC add noise
     * (the {@code sqrt(alphas_cumprod)} of {@link AlphaCumprodRun} would round differently).
     */
    @Override
    final float[] noised(float[] original, float[] noise, int index) {
        float alphaT = alphaAt(index);
        float sigmaT = sigmaAt(index);
        float[] out = new float[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = alphaT * original[i] + sigmaT * noise[i];
        }
        return out;
    }

    /** {@code alpha_t} of {@code sigmas[index]}. */
    final float alphaAt(int index) {
        return ScheduleMath.vpAlpha(sigmas[index]);
    }

    /** {@code sigma_t = sigmas[index] * alpha_t}, the variance-preserving noise scale. */
    final float sigmaAt(int index) {
        return sigmas[index] * alphaAt(index);
    }

    /** {@code lambda_t} of {@code sigmas[index]}. */
    final float lambdaAt(int index) {
        return ScheduleMath.vpLambda(sigmas[index]);
    }

    /** Adds a converted model output to the history, dropping the oldest. */
    final void remember(float[] converted) {
        System.arraycopy(history, 1, history, 0, history.length - 1);
        history[history.length - 1] = converted;
    }

    /** The {@code k}-th newest converted model output: {@code m0}, {@code m1}, ... of the papers. */
    final float[] newest(int k) {
        return history[history.length - 1 - k];
    }

    /** Counts a finished step towards the warm-up. */
    final void warmUp() {
        if (lowerOrderNums < history.length) {
            lowerOrderNums++;
        }
    }
}
