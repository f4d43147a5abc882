package io.github.sdm.assembly.distill;

/**
 * The weights of distillation's loss {@code L = task * L_task + output * L_out + feature * L_feat}, as in BK-SDM
 * (Kim et al.), which uses 1, 1, 1:
 * <ul>
 *   <li>{@code L_task}: the mean squared error of the student's noise prediction to the true noise (the
 *       training objective of {@code sdm train});</li>
 *   <li>{@code L_out}: the mean squared error of the student's prediction to the teacher's;</li>
 *   <li>{@code L_feat}: the sum over {@link FeaturePairs} of the mean squared error between the student part's
 *       output and the teacher part's.</li>
 * </ul>
 *
 * @param task weight of the task loss, {@code >= 0}
 * @param output weight of the output loss, {@code >= 0}
 * @param feature weight of the feature loss, {@code >= 0}; 0 skips the feature outputs altogether
 */
public record DistillationWeights(double task, double output, double feature) {

    /** BK-SDM's weights: 1, 1, 1. */
    public static final DistillationWeights BK_SDM = new DistillationWeights(1, 1, 1);

    /**
     * @throws IllegalArgumentException naming the weight that is negative or not finite, or when all are 0
     */
    public DistillationWeights {
        check("task", task);
        check("output", output);
        check("feature", feature);
        if (task == 0 && output == 0 && feature == 0) {
            throw new IllegalArgumentException("distillation loss weights are all 0: give at least one a positive weight");
        }
    }

    private static void check(String name, double weight) {
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("distillation " + name + " loss weight must be >= 0 and finite, got "
                    + weight);
        }
    }
}
