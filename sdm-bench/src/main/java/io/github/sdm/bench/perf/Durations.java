package io.github.sdm.bench.perf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median and range of repeated measurements. The median of an even count is the mean of the two middle
 * values.
 */
public record Durations(List<Duration> values) {

    public Durations {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no measurements");
        }
        values = List.copyOf(values);
    }

    public static Durations ofNanos(List<Long> nanos) {
        List<Duration> d = new ArrayList<>();
        nanos.forEach(n -> d.add(Duration.ofNanos(n)));
        return new Durations(d);
    }

    public Duration median() {
        List<Duration> sorted = sorted();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    public Duration min() {
        return Collections.min(values);
    }

    public Duration max() {
        return Collections.max(values);
    }

    public int count() {
        return values.size();
    }

    private List<Duration> sorted() {
        List<Duration> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }
}
