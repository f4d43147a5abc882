package io.github.sdm.samplers;

import java.util.Optional;
import java.util.Set;

/**
 * The training noise schedule shared by every sampler: the betas from {@code beta_schedule} (or
 * {@code trained_betas}) and their cumulative products {@code alphas_cumprod}, as float32 exactly as diffusers'
 * constructors build them in torch.
 */
final class NoiseSchedule {

    /** The fields read here; a sampler that supports {@code rescale_betas_zero_snr} adds that one itself. */
    static final Set<String> FIELDS =
            Set.of("num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "trained_betas");

    /** How a sampler class treats {@code rescale_betas_zero_snr} (diffusers differs per class). */
    enum ZeroSnr {
        /** The class has no such option. */
        UNSUPPORTED,
        /** Rescale the betas; the last {@code alphas_cumprod} becomes exactly 0. */
        RESCALE,
        /** Rescale, then set the last {@code alphas_cumprod} to 2^-24 so the first sigma stays finite. */
        RESCALE_AND_CLAMP_LAST
    }

    /** A diffusers class's constructor defaults for the beta fields. */
    record BetaDefaults(double betaStart, double betaEnd, String betaSchedule, boolean allowsExpSchedule) {
    }

    static final BetaDefaults DIFFUSERS_DEFAULTS = new BetaDefaults(0.0001, 0.02, "linear", false);

    private final float[] alphasCumprod;

    private NoiseSchedule(float[] alphasCumprod) {
        this.alphasCumprod = alphasCumprod;
    }

    static NoiseSchedule read(SamplerConfig config, BetaDefaults defaults, ZeroSnr zeroSnr) {
        int numTrainTimesteps = config.getInt("num_train_timesteps", 1000);
        if (numTrainTimesteps < 2) {
            throw new SamplerConfigException("num_train_timesteps", numTrainTimesteps, "must be at least 2");
        }
        float[] betas = betas(config, defaults, numTrainTimesteps);
        boolean rescale = zeroSnr != ZeroSnr.UNSUPPORTED && config.getBoolean("rescale_betas_zero_snr", false);
        if (rescale) {
            betas = rescaleZeroTerminalSnr(betas);
        }
        float[] alphas = new float[betas.length];
        for (int i = 0; i < alphas.length; i++) {
            alphas[i] = 1.0f - betas[i];
        }
        float[] alphasCumprod = ScheduleMath.torchCumprod(alphas);
        if (rescale && zeroSnr == ZeroSnr.RESCALE_AND_CLAMP_LAST) {
            // the smallest positive float16 subnormal, as diffusers: close to 0 so the first sigma is large but finite
            alphasCumprod[alphasCumprod.length - 1] = 0x1p-24f;
        }
        return new NoiseSchedule(alphasCumprod);
    }

    private static float[] betas(SamplerConfig config, BetaDefaults defaults, int numTrainTimesteps) {
        Optional<double[]> trained = config.getDoubleArray("trained_betas");
        if (trained.isPresent()) {
            double[] values = trained.get();
            if (values.length != numTrainTimesteps) {
                throw new SamplerConfigException("trained_betas", values.length + " values",
                        "must hold num_train_timesteps = " + numTrainTimesteps + " values");
            }
            float[] out = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                checkBeta("trained_betas[" + i + "]", values[i]);
                out[i] = (float) values[i];
            }
            return out;
        }
        double betaStart = config.getDouble("beta_start", defaults.betaStart());
        double betaEnd = config.getDouble("beta_end", defaults.betaEnd());
        String schedule = config.getString("beta_schedule", defaults.betaSchedule());
        switch (schedule) {
            case "linear":
                checkBeta("beta_start", betaStart);
                checkBeta("beta_end", betaEnd);
                return ScheduleMath.torchLinspace(betaStart, betaEnd, numTrainTimesteps);
            case "scaled_linear": {
                checkBeta("beta_start", betaStart);
                checkBeta("beta_end", betaEnd);
                float[] roots = ScheduleMath.torchLinspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), numTrainTimesteps);
                for (int i = 0; i < roots.length; i++) {
                    roots[i] = roots[i] * roots[i];
                }
                return roots;
            }
            case "squaredcos_cap_v2":
                return betasForAlphaBar(numTrainTimesteps, false);
            case "exp":
                if (defaults.allowsExpSchedule()) {
                    return betasForAlphaBar(numTrainTimesteps, true);
                }
                throw new SamplerConfigException("beta_schedule", schedule,
                        "must be one of linear, scaled_linear, squaredcos_cap_v2");
            default:
                throw new SamplerConfigException("beta_schedule", schedule,
                        "must be one of linear, scaled_linear, squaredcos_cap_v2"
                                + (defaults.allowsExpSchedule() ? ", exp" : ""));
        }
    }

    private static void checkBeta(String field, double beta) {
        if (!(beta >= 0 && beta <= 1)) {
            throw new SamplerConfigException(field, beta, "a beta must lie in [0, 1]");
        }
    }

    /** diffusers' {@code betas_for_alpha_bar}: the cosine (Glide) or exponential alpha-bar, in float64. */
    private static float[] betasForAlphaBar(int n, boolean exponential) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            double ratio = exponential ? Math.exp(t2 * -12.0) / Math.exp(t1 * -12.0) : alphaBarCosine(t2) / alphaBarCosine(t1);
            out[i] = (float) Math.min(1 - ratio, 0.999);
        }
        return out;
    }

    private static double alphaBarCosine(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** Algorithm 1 of arXiv 2305.08891 in float32 torch arithmetic: zero terminal SNR, first SNR unchanged. */
    private static float[] rescaleZeroTerminalSnr(float[] betas) {
        int n = betas.length;
        float[] alphas = new float[n];
        for (int i = 0; i < n; i++) {
            alphas[i] = 1.0f - betas[i];
        }
        float[] sqrtCumprod = ScheduleMath.torchCumprod(alphas);
        for (int i = 0; i < n; i++) {
            sqrtCumprod[i] = (float) Math.sqrt(sqrtCumprod[i]);
        }
        float first = sqrtCumprod[0];
        float last = sqrtCumprod[n - 1];
        float scale = first / (first - last);
        float[] cumprod = new float[n];
        for (int i = 0; i < n; i++) {
            float shifted = (sqrtCumprod[i] - last) * scale;
            cumprod[i] = shifted * shifted;
        }
        float[] out = new float[n];
        out[0] = 1 - cumprod[0];
        for (int i = 1; i < n; i++) {
            out[i] = 1 - cumprod[i] / cumprod[i - 1];
        }
        return out;
    }

    int numTrainTimesteps() {
        return alphasCumprod.length;
    }

    float alphaCumprod(int timestep) {
        return alphasCumprod[timestep];
    }

    /** The float32 training sigmas {@code ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5} by training timestep. */
    float[] trainingSigmas() {
        float[] out = new float[alphasCumprod.length];
        for (int i = 0; i < out.length; i++) {
            float a = alphasCumprod[i];
            out[i] = (float) Math.sqrt((1f - a) / a);
        }
        return out;
    }
}
