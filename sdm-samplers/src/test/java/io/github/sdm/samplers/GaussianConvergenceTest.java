package io.github.sdm.samplers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The samplers' order of accuracy, measured against a problem with a known answer.
 *
 * <p>Data {@code x0 ~ N(0, s^2)} noised as {@code x_t = alpha_t x0 + sigma_t eps} is Gaussian with variance
 * {@code V_t = alpha_t^2 s^2 + sigma_t^2}. The ideal noise predictor is the posterior mean
 * {@code E[eps | x_t] = Cov(eps, x_t) / V_t * x_t = sigma_t / (alpha_t^2 s^2 + sigma_t^2) * x_t}. With it the
 * probability-flow ODE has a velocity linear in {@code x}, so its flow is linear too, and as it carries
 * {@code N(0, V_T)} onto {@code N(0, V_t)} it must be {@code x_t = x_T sqrt(V_t / V_T)}: the exact endpoint of every
 * deterministic sampler. The final-sample error must then fall like {@code h^p} for a method of order {@code p}.
 *
 * <p>Stable Diffusion's schedule crowds its log-SNR near t = 0 (one step there spans a range that does not shrink
 * like 1/steps), which blurs the asymptotics, so the test uses a schedule that is uniform in log-SNR
 * ({@code lambda} from 3.5 at t = 0 to -2.7 at t = 999, given as {@code trained_betas}) and trailing spacing, so every
 * step spans the same log-SNR, and ends at t = 0 instead of jumping to sigma = 0.
 */
class GaussianConvergenceTest {

    private static final double DATA_STD = 0.5;
    private static final SamplerConfig UNIFORM_LOG_SNR = uniformLogSnrSchedule();

    private static SamplerConfig uniformLogSnrSchedule() {
        double[] betas = new double[1000];
        double previous = 1;
        for (int t = 0; t < betas.length; t++) {
            double lambda = 3.5 - 6.2 * t / 999.0;
            double alphaCumprod = 1 / (1 + Math.exp(-2 * lambda));
            betas[t] = 1 - alphaCumprod / previous;
            previous = alphaCumprod;
        }
        return SamplerConfig.of(Map.of("trained_betas", betas, "timestep_spacing", "trailing"));
    }

    @Test
    void ddimIsFirstOrder() {
        double slope = convergenceSlope("ddim", Map.of("set_alpha_to_one", false), new int[] {10, 20, 25, 40, 50, 100});
        assertTrue(slope >= 0.8 && slope <= 1.3, "DDIM error slope " + slope);
    }

    @Test
    void dpmSolverPlusPlus2mIsSecondOrder() {
        double slope = convergenceSlope("dpmpp_2m",
                Map.of("final_sigmas_type", "sigma_min", "lower_order_final", false), new int[] {10, 20, 40, 80, 160});
        assertTrue(slope >= 1.7 && slope <= 2.5, "DPM-Solver++ 2M error slope " + slope);
    }

    @Test
    void noisePredictionDpmSolver2mIsSecondOrder() {
        double slope = convergenceSlope("dpm_2m", Map.of("lower_order_final", false), new int[] {10, 20, 40, 80, 160});
        assertTrue(slope >= 1.7 && slope <= 2.5, "DPM-Solver 2M error slope " + slope);
    }

    @Test
    void uniPcCorrectorRaisesSecondOrderToThird() {
        double slope = convergenceSlope("unipc", Map.of("lower_order_final", false), new int[] {10, 20, 40, 80});
        assertTrue(slope >= 2.6 && slope <= 3.5, "UniPC (order 2 + corrector) error slope " + slope);
    }

    @Test
    void pndmConvergesAtSecondOrderWithAndWithoutRungeKuttaWarmUp() {
        int[] steps = {10, 20, 25, 40, 50, 100};
        double plms = convergenceSlope("pndm", Map.of(), steps);
        assertTrue(plms >= 1.7 && plms <= 2.5, "PLMS error slope " + plms);
        double prk = convergenceSlope("pndm", Map.of("skip_prk_steps", false), steps);
        assertTrue(prk >= 1.7 && prk <= 2.5, "PNDM (Runge-Kutta warm-up) error slope " + prk);
    }

    /** The least-squares slope of log(relative final error) against log(1 / steps). */
    private static double convergenceSlope(String sampler, Map<String, ?> overrides, int[] steps) {
        double[] logH = new double[steps.length];
        double[] logError = new double[steps.length];
        for (int k = 0; k < steps.length; k++) {
            logH[k] = Math.log(1.0 / steps[k]);
            logError[k] = Math.log(finalError(sampler, overrides, steps[k]));
        }
        double meanX = 0;
        double meanY = 0;
        for (int k = 0; k < steps.length; k++) {
            meanX += logH[k] / steps.length;
            meanY += logError[k] / steps.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int k = 0; k < steps.length; k++) {
            sxy += (logH[k] - meanX) * (logError[k] - meanY);
            sxx += (logH[k] - meanX) * (logH[k] - meanX);
        }
        return sxy / sxx;
    }

    private static double finalError(String samplerName, Map<String, ?> overrides, int steps) {
        SamplerConfig config = UNIFORM_LOG_SNR.withOverrides(overrides);
        Sampler sampler = Samplers.create(samplerName, config);
        NoiseSchedule schedule =
                NoiseSchedule.read(config, NoiseSchedule.DIFFUSERS_DEFAULTS, NoiseSchedule.ZeroSnr.UNSUPPORTED);
        SamplingRun run = sampler.start(steps, NoiseSource.none());
        double[] timesteps = run.timesteps();

        double startVariance = variance(schedule.alphaCumprod((int) timesteps[0]));
        float[] start = {(float) (1.3 * Math.sqrt(startVariance)), (float) (-0.6 * Math.sqrt(startVariance))};
        float[] x = start.clone();
        for (int i = 0; i < timesteps.length; i++) {
            double alphaCumprod = schedule.alphaCumprod((int) timesteps[i]);
            double gain = Math.sqrt(1 - alphaCumprod) / variance(alphaCumprod);
            float[] input = run.scaleModelInput(x, i);
            float[] eps = new float[input.length];
            for (int j = 0; j < eps.length; j++) {
                eps[j] = (float) (gain * input[j]);
            }
            x = run.step(eps, i, x);
        }
        // every configuration here ends at the noise level of training timestep 0
        double endVariance = variance(schedule.alphaCumprod(0));
        double worst = 0;
        for (int j = 0; j < x.length; j++) {
            double exact = start[j] * Math.sqrt(endVariance / startVariance);
            worst = Math.max(worst, Math.abs(x[j] - exact) / Math.abs(exact));
        }
        return worst;
    }

    private static double variance(double alphaCumprod) {
        return alphaCumprod * DATA_STD * DATA_STD + (1 - alphaCumprod);
    }
}
