package io.github.sdm.assembly.distill;

/**
 * One distillation step's loss terms, unweighted (see {@link DistillationWeights}). The task and output terms
 * are always computed (they cost one subtraction each); the feature term is not when its weight is 0, and reads NaN.
 *
 * @param task mean squared error of the student's prediction to the true noise
 * @param output mean squared error of the student's prediction to the teacher's
 * @param feature sum over the feature pairs of the mean squared error between their outputs
 */
public record LossTerms(double task, double output, double feature) {

    /** The weighted sum, the loss trained on (a term of weight 0 counts 0). */
    public double total(DistillationWeights weights) {
        return term(weights.task(), task) + term(weights.output(), output) + term(weights.feature(), feature);
    }

    private static double term(double weight, double value) {
        return weight == 0 ? 0 : weight * value;
    }
}
