package io.github.sdm.assembly.switching;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which calls of a generation the second UNet computes: the first {@code fraction} of them
 * ({@code "0.4"}: the first 40%, rounded to the nearest call), or an explicit list of 0-based call indices
 * ({@code "calls:0,1,2"}). The other calls go to the model's own UNet.
 */
public final class SwitchSchedule {
    private final double fraction;
    private final Set<Integer> calls;

    private SwitchSchedule(double fraction, Set<Integer> calls) {
        this.fraction = fraction;
        this.calls = calls;
    }

    /** The first {@code fraction} (0 to 1) of the calls on the second UNet. */
    public static SwitchSchedule firstFraction(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("switch fraction must be between 0 and 1, got " + fraction);
        }
        return new SwitchSchedule(fraction, null);
    }

    /** The given 0-based calls on the second UNet. */
    public static SwitchSchedule calls(Set<Integer> calls) {
        for (int call : calls) {
            if (call < 0) {
                throw new IllegalArgumentException("switch call index must be >= 0, got " + call);
            }
        }
        return new SwitchSchedule(Double.NaN, Set.copyOf(new TreeSet<>(calls)));
    }

    /** Parses {@code "0.4"} or {@code "calls:0,1,2"}. */
    public static SwitchSchedule parse(String text) {
        String s = text.trim();
        if (s.startsWith("calls:")) {
            Set<Integer> calls = new TreeSet<>();
            for (String part : s.substring("calls:".length()).split(",")) {
                try {
                    calls.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("switch '" + text + "': '" + part.trim()
                            + "' is not a call index");
                }
            }
            return calls(calls);
        }
        try {
            return firstFraction(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("switch '" + text + "': expected a fraction such as 0.4 or calls:0,1,2");
        }
    }

    /** Whether call {@code callIndex} of {@code totalCalls} goes to the second UNet. */
    public boolean usesSecond(int callIndex, int totalCalls) {
        if (calls != null) {
            return calls.contains(callIndex);
        }
        return callIndex < Math.round(fraction * totalCalls);
    }

    /** How many of {@code totalCalls} calls go to the second UNet. */
    public int secondCalls(int totalCalls) {
        int n = 0;
        for (int c = 0; c < totalCalls; c++) {
            n += usesSecond(c, totalCalls) ? 1 : 0;
        }
        return n;
    }

    @Override
    public String toString() {
        return calls != null ? "calls:" + String.join(",", calls.stream().sorted().map(String::valueOf).toList())
                : String.valueOf(fraction);
    }
}
