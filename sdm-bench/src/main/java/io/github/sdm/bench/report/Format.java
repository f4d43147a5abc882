package io.github.sdm.bench.report;

import java.time.Duration;
import java.util.Locale;

/** How reports print numbers: fixed precision, units named, the same locale everywhere. */
public final class Format {
    private Format() {
    }

    /** {@code 14.54 s} from one second up, {@code 812.3 ms} below, {@code 45.0 us} below a millisecond. */
    public static String duration(Duration d) {
        double nanos = d.toNanos();
        if (nanos >= 1e9) {
            return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        }
        if (nanos >= 1e6) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    /** {@code 12.1 s - 13.0 s}. */
    public static String range(Duration min, Duration max) {
        return duration(min) + " - " + duration(max);
    }

    /** {@code 3.51 GiB}, {@code 812.0 MiB}, {@code 96.0 KiB}. */
    public static String bytes(long bytes) {
        if (bytes < 0) {
            return "n/a";
        }
        double b = bytes;
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
    }

    /** {@code 360.2} (GFLOP, from a count of operations). */
    public static String giga(long count) {
        return String.format(Locale.ROOT, "%.1f", count / 1e9);
    }

    /** A rate in GFLOP/s from operations and nanoseconds: {@code 87.3}. */
    public static String gigaPerSecond(long count, long nanos) {
        return nanos <= 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", count / (double) nanos);
    }

    /** {@code 37.5%}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /** {@code 2.65x}. */
    public static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }
}
