package io.github.sdm.bench.perf;

import java.util.Arrays;
import java.util.List;

/** Summaries of repeated measurements (seconds, ratios) and of two outputs that should agree. */
public final class Samples {
    private Samples() {
    }

    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    public static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** The largest difference of two outputs, absolute and relative to the first's peak magnitude. */
    public static String difference(float[] x, float[] y) {
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
            scale = Math.max(scale, Math.abs(x[i]));
        }
        return String.format("outputs: max |A-B| %.3g, max |A| %.3g, relative %.3g", worst, scale, worst / scale);
    }
}
