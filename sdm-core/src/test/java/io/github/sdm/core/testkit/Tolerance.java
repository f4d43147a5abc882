package io.github.sdm.core.testkit;

/**
 * How far an actual value may lie from the expected one, for every element of a comparison: a fixed bound, or a
 * fraction of the expected values' peak magnitude (so activations of any scale compare alike).
 *
 * @param factor the bound itself ({@link #absolute}), or the fraction of the peak
 * @param relativeToPeak whether {@code factor} scales with the peak magnitude of the expected values
 * @param peakFloor the smallest peak used, so near-zero tensors are not held to a near-zero bound
 */
public record Tolerance(double factor, boolean relativeToPeak, double peakFloor) {

    /** At most {@code bound} apart, whatever the magnitudes. */
    public static Tolerance absolute(double bound) {
        return new Tolerance(bound, false, 0);
    }

    /** At most {@code fraction * max|expected|} apart. */
    public static Tolerance ofPeak(double fraction) {
        return new Tolerance(fraction, true, 0);
    }

    /** At most {@code fraction * max(1, max|expected|)} apart: the parity tests' bound against PyTorch references. */
    public static Tolerance ofPeakAtLeastOne(double fraction) {
        return new Tolerance(fraction, true, 1);
    }

    /** The largest allowed difference for a comparison against {@code expected}. */
    public double bound(float[] expected) {
        if (!relativeToPeak) {
            return factor;
        }
        double peak = peakFloor;
        for (float v : expected) {
            peak = Math.max(peak, Math.abs(v));
        }
        return factor * peak;
    }

    @Override
    public String toString() {
        return relativeToPeak ? factor + " x max(" + peakFloor + ", max|expected|)" : Double.toString(factor);
    }
}
