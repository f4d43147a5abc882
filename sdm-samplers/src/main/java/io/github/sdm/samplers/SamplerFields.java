package io.github.sdm.samplers;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every configuration field some sampler reads, with the type of value it takes. A caller's overrides are
 * checked against this list, so that a typo ({@code use_karas_sigmas}) or a value of the wrong type is refused
 * even when the chosen sampler would not read the field. A model folder's own {@code scheduler_config.json} is
 * not checked: it carries fields for diffusers' bookkeeping ({@code _class_name}, {@code _diffusers_version})
 * and for classes other than the one chosen, which samplers ignore as diffusers does.
 */
final class SamplerFields {

    /** The kinds of value a field takes, each read with the {@link SamplerConfig} getter that checks it. */
    private enum Type {
        NUMBER, INTEGER, BOOLEAN, STRING, NUMBER_LIST, INTEGER_LIST,
        /** Read only to refuse it (UniPC's {@code solver_p}, a scheduler object in diffusers). */
        UNSUPPORTED
    }

    private static final Map<String, Type> TYPES = new TreeMap<>(Map.ofEntries(
            // every sampler: the training noise schedule and the timestep placement
            Map.entry("num_train_timesteps", Type.INTEGER), Map.entry("beta_start", Type.NUMBER),
            Map.entry("beta_end", Type.NUMBER), Map.entry("beta_schedule", Type.STRING),
            Map.entry("trained_betas", Type.NUMBER_LIST), Map.entry("rescale_betas_zero_snr", Type.BOOLEAN),
            Map.entry("prediction_type", Type.STRING), Map.entry("timestep_spacing", Type.STRING),
            Map.entry("steps_offset", Type.INTEGER),
            // clipping and thresholding of the predicted sample
            Map.entry("clip_sample", Type.BOOLEAN), Map.entry("clip_sample_range", Type.NUMBER),
            Map.entry("thresholding", Type.BOOLEAN), Map.entry("dynamic_thresholding_ratio", Type.NUMBER),
            Map.entry("sample_max_value", Type.NUMBER),
            // DDIM, DDPM, LCM, PNDM
            Map.entry("set_alpha_to_one", Type.BOOLEAN), Map.entry("eta", Type.NUMBER),
            Map.entry("use_clipped_model_output", Type.BOOLEAN), Map.entry("variance_type", Type.STRING),
            Map.entry("original_inference_steps", Type.INTEGER), Map.entry("timestep_scaling", Type.NUMBER),
            Map.entry("skip_prk_steps", Type.BOOLEAN),
            // DPM-Solver and UniPC
            Map.entry("solver_order", Type.INTEGER), Map.entry("algorithm_type", Type.STRING),
            Map.entry("solver_type", Type.STRING), Map.entry("lower_order_final", Type.BOOLEAN),
            Map.entry("euler_at_final", Type.BOOLEAN), Map.entry("use_lu_lambdas", Type.BOOLEAN),
            Map.entry("final_sigmas_type", Type.STRING), Map.entry("lambda_min_clipped", Type.NUMBER),
            Map.entry("predict_x0", Type.BOOLEAN), Map.entry("disable_corrector", Type.INTEGER_LIST),
            Map.entry("solver_p", Type.UNSUPPORTED),
            // sigma samplers: Euler, Heun, LMS
            Map.entry("use_karras_sigmas", Type.BOOLEAN), Map.entry("interpolation_type", Type.STRING),
            Map.entry("sigma_min", Type.NUMBER), Map.entry("sigma_max", Type.NUMBER),
            Map.entry("timestep_type", Type.STRING), Map.entry("s_churn", Type.NUMBER),
            Map.entry("s_tmin", Type.NUMBER), Map.entry("s_tmax", Type.NUMBER), Map.entry("s_noise", Type.NUMBER),
            Map.entry("order", Type.INTEGER)));

    /** A suggestion is made only for a name this close (in edits) to a known one, and closer for short names. */
    private static final int MAX_SUGGESTION_DISTANCE = 3;

    private SamplerFields() {
    }

    /** The names of every field some sampler reads, sorted. */
    static Set<String> names() {
        return TYPES.keySet();
    }

    /**
     * Refuses a field no sampler reads (naming the closest known one and all of them) and a value of the wrong
     * type; {@code null} (unset) is accepted for every field.
     */
    static void checkRequested(SamplerConfig requested) {
        for (String field : requested.fieldNames()) {
            Type type = TYPES.get(field);
            if (type == null) {
                throw new SamplerConfigException(field, requested.toJson().get(field), unknownFieldProblem(field));
            }
            switch (type) {
                case NUMBER -> requested.getOptionalDouble(field);
                case INTEGER -> requested.getInt(field, 0);
                case BOOLEAN -> requested.getBoolean(field, false);
                case STRING -> requested.getString(field, null);
                case NUMBER_LIST -> requested.getDoubleArray(field);
                case INTEGER_LIST -> requested.getIntArray(field);
                case UNSUPPORTED -> {
                    // the sampler that knows the field explains why it cannot honour it
                }
                default -> throw new AssertionError(type);
            }
        }
    }

    /** Guards this list against a sampler that reads a field it does not hold. */
    static void requireListed(String sampler, Set<String> fields) {
        for (String field : fields) {
            if (!TYPES.containsKey(field)) {
                throw new IllegalStateException(sampler + " reads '" + field + "', which SamplerFields does not list");
            }
        }
    }

    private static String unknownFieldProblem(String field) {
        String closest = names().stream().min(Comparator.comparingInt(known -> editDistance(field, known))).orElseThrow();
        int allowed = Math.max(1, Math.min(MAX_SUGGESTION_DISTANCE, field.length() / 3));
        String suggestion = editDistance(field, closest) <= allowed
                ? "did you mean " + closest + "? " : "";
        return "no sampler has this setting; " + suggestion + "known settings: " + String.join(", ", names());
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions turning {@code a} into {@code b}. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
