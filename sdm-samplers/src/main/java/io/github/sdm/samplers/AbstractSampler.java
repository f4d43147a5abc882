package io.github.sdm.samplers;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every sampler shares: its name and configuration, the settings every diffusers scheduler has (the training
 * noise schedule, {@code prediction_type}, {@code timestep_spacing} and {@code steps_offset}), unknown-field logging,
 * step-count and strength checks.
 */
abstract class AbstractSampler implements Sampler {

    private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);

    /** The fields read here; {@code rescale_betas_zero_snr} only where the class supports it. */
    private static final Set<String> COMMON_FIELDS =
            fields(NoiseSchedule.FIELDS, Set.of("prediction_type", "timestep_spacing", "steps_offset"));

    static {
        SamplerFields.requireListed("every sampler", COMMON_FIELDS);
    }

    private final String name;
    private final SamplerConfig config;
    final NoiseSchedule noiseSchedule;
    final PredictionType predictionType;
    final InferenceTimesteps inferenceTimesteps;

    /**
     * @param ownFields the fields the diffusers class accepts (constructor arguments) beyond the common ones, plus the
     *     step arguments this sampler takes from its configuration; others are ignored with a debug log, as diffusers
     *     does
     * @param betaDefaults the class's defaults for the beta fields
     * @param zeroSnr how the class treats {@code rescale_betas_zero_snr}
     * @param defaultSpacing the class's default {@code timestep_spacing}
     */
    AbstractSampler(String name, SamplerConfig config, Set<String> ownFields, NoiseSchedule.BetaDefaults betaDefaults,
            NoiseSchedule.ZeroSnr zeroSnr, TimestepSpacing defaultSpacing) {
        this.name = name;
        this.config = Objects.requireNonNull(config, "config");
        SamplerFields.requireListed(name, ownFields);
        for (String field : config.fieldNames()) {
            // "_class_name", "_diffusers_version" and friends are bookkeeping, not settings
            boolean known = COMMON_FIELDS.contains(field) || ownFields.contains(field)
                    || (field.equals("rescale_betas_zero_snr") && zeroSnr != NoiseSchedule.ZeroSnr.UNSUPPORTED);
            if (!field.startsWith("_") && !known) {
                LOG.debug("{} ignores the config field '{}' it does not know", name, field);
            }
        }
        noiseSchedule = NoiseSchedule.read(config, betaDefaults, zeroSnr);
        predictionType = PredictionType.read(config);
        inferenceTimesteps = InferenceTimesteps.read(config, defaultSpacing);
    }

    @SafeVarargs
    static Set<String> fields(Set<String>... groups) {
        Set<String> out = new HashSet<>();
        for (Set<String> g : groups) {
            out.addAll(g);
        }
        return Set.copyOf(out);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final SamplerConfig config() {
        return config;
    }

    @Override
    public int order() {
        return 1;
    }

    /** The number of training timesteps, the upper bound on inference steps. */
    final int numTrainTimesteps() {
        return noiseSchedule.numTrainTimesteps();
    }

    @Override
    public SamplingRun startAtStrength(int numInferenceSteps, double strength, NoiseSource noise) {
        checkSteps(numInferenceSteps);
        Objects.requireNonNull(noise, "noise");
        int skipped = skippedSteps(numInferenceSteps, strength);
        return newRun(numInferenceSteps, skipped * order(), noise);
    }

    /** diffusers' {@code get_timesteps}: how many inference steps img2img at this strength skips. */
    static int skippedSteps(int numInferenceSteps, double strength) {
        checkStrength(strength);
        int denoised = Math.min((int) (numInferenceSteps * strength), numInferenceSteps);
        if (denoised < 1) {
            throw noDenoisingStep(strength, numInferenceSteps, 1, numInferenceSteps);
        }
        return numInferenceSteps - denoised;
    }

    /** Strength 0 (the init image unchanged) is in range, as in diffusers; it then fails as leaving no step. */
    static void checkStrength(double strength) {
        if (!(strength >= 0 && strength <= 1)) {
            throw new SamplerConfigException("strength", strength, "must lie in [0, 1]");
        }
    }

    /**
     * The error for a strength that leaves no step to run: {@code int(strength * scheduleLength)} schedule entries
     * remain and {@code needed} are required, so the message names the smallest strength (two significant digits,
     * rounded up) that keeps them.
     */
    static SamplerConfigException noDenoisingStep(double strength, int numInferenceSteps, int needed,
            int scheduleLength) {
        BigDecimal smallest = BigDecimal.valueOf(needed).divide(BigDecimal.valueOf(scheduleLength),
                new MathContext(2, RoundingMode.CEILING));
        while ((int) (scheduleLength * smallest.doubleValue()) < needed) {
            smallest = smallest.add(smallest.ulp());
        }
        return SamplerConfigException.ofRunParameter("strength", strength, "strength " + strength + " with "
                + numInferenceSteps + " steps leaves no denoising step; use at least "
                + smallest.stripTrailingZeros().toPlainString());
    }

    void checkSteps(int numInferenceSteps) {
        if (numInferenceSteps < 1) {
            throw new SamplerConfigException("num_inference_steps", numInferenceSteps, "must be at least 1");
        }
        if (numInferenceSteps > numTrainTimesteps()) {
            throw new SamplerConfigException("num_inference_steps", numInferenceSteps,
                    "cannot exceed num_train_timesteps = " + numTrainTimesteps());
        }
    }

    /**
     * A run over the schedule for {@code numInferenceSteps}, beginning at index {@code beginIndex} of the full list of
     * model calls.
     */
    abstract SamplingRun newRun(int numInferenceSteps, int beginIndex, NoiseSource noise);

    @Override
    public String toString() {
        return name + config.toJson();
    }
}
