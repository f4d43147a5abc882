package io.github.sdm.samplers;

/**
 * What every run shares: the timestep list, the step-order check and argument validation. Subclasses see global
 * indices into the full schedule (img2img runs begin past 0), as diffusers' {@code step_index} after
 * {@code set_begin_index}.
 */
abstract class AbstractRun implements SamplingRun {

    /** The full schedule's timesteps, one per model call. */
    final double[] allTimesteps;
    /** Index in {@link #allTimesteps} of this run's first model call. */
    final int begin;
    /** The inference step count the schedule was made for. */
    final int numInferenceSteps;
    final NoiseSource noise;
    private final int order;
    int batchSize = 1;
    private int nextStep;

    AbstractRun(double[] allTimesteps, int begin, int numInferenceSteps, int order, NoiseSource noise) {
        this.allTimesteps = allTimesteps;
        this.begin = begin;
        this.numInferenceSteps = numInferenceSteps;
        this.order = order;
        this.noise = noise;
    }

    @Override
    public final double[] timesteps() {
        double[] out = new double[allTimesteps.length - begin];
        System.arraycopy(allTimesteps, begin, out, 0, out.length);
        return out;
    }

    @Override
    public final int length() {
        return allTimesteps.length - begin;
    }

    @Override
    public final int numInferenceSteps() {
        return numInferenceSteps - begin / order;
    }

    @Override
    public final int order() {
        return order;
    }

    @Override
    public final float[] scaleModelInput(float[] sample, int stepIndex) {
        checkIndex(stepIndex);
        return scale(sample, begin + stepIndex);
    }

    @Override
    public final float[] step(float[] modelOutput, int stepIndex, float[] sample) {
        if (stepIndex != nextStep) {
            throw new IllegalStateException(nextStep >= length()
                    ? "all " + length() + " steps of this run are done; start a new run"
                    : "step " + stepIndex + " requested but step " + nextStep + " is next: steps run in order");
        }
        requireSameLength(modelOutput, sample, "modelOutput", "sample");
        float[] out = advance(modelOutput, begin + stepIndex, sample);
        nextStep++;
        return out;
    }

    @Override
    public final float[] addNoise(float[] original, float[] noise, int stepIndex) {
        checkIndex(stepIndex);
        requireSameLength(original, noise, "original", "noise");
        return noised(original, noise, begin + stepIndex);
    }

    @Override
    public final SamplingRun withBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (nextStep > 0) {
            throw new IllegalStateException("batchSize must be set before the first step");
        }
        this.batchSize = batchSize;
        return this;
    }

    /** The run's sigmas by global index, for parity tests; empty for the samplers that have none. */
    float[] sigmas() {
        return new float[0];
    }

    /** {@code scaleModelInput} at global index {@code index}; the identity unless overridden. */
    float[] scale(float[] sample, int index) {
        return sample;
    }

    /** One step at global index {@code index}. */
    abstract float[] advance(float[] modelOutput, int index, float[] sample);

    /** {@code addNoise} at global index {@code index}. */
    abstract float[] noised(float[] original, float[] noise, int index);

    float[] drawNoise(int length) {
        float[] z = new float[length];
        noise.fill(z);
        return z;
    }

    private void checkIndex(int stepIndex) {
        if (stepIndex < 0 || stepIndex >= length()) {
            throw new IndexOutOfBoundsException("step index " + stepIndex + " outside 0.." + (length() - 1));
        }
    }

    private static void requireSameLength(float[] a, float[] b, String nameA, String nameB) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    nameA + " has " + a.length + " values but " + nameB + " has " + b.length);
        }
    }
}
