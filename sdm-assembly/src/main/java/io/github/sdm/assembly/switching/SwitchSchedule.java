package io.github.sdm.assembly.switching;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which calls of a generation the second UNet computes: the first {@code fraction} of them
 * ({@code "0.4"}: the first 40%, rounded to the nearest call), the last {@code fraction} of them
 * ({@code "last:0.7"}: the model's UNet computes the early, high-noise calls, the second UNet the last 70%), or an
 * explicit list of 0-based call indices ({@code "calls:0,1,2"}). The other calls go to the model's own UNet.
 */
public final class SwitchSchedule {
    private static final String LAST = "last:";
    private final double fraction;
    private final boolean last;
    private final Set<Integer> calls;

    private SwitchSchedule(double fraction, boolean last, Set<Integer> calls) {
        this.fraction = fraction;
        this.last = last;
        this.calls = calls;
    }

    /** The first {@code fraction} (0 to 1) of the calls on the second UNet. */
    public static SwitchSchedule firstFraction(double fraction) {
        return new SwitchSchedule(checked(fraction), false, null);
    }

    /** The last {@code fraction} (0 to 1) of the calls on the second UNet, the first ones on the model's. */
    public static SwitchSchedule lastFraction(double fraction) {
        return new SwitchSchedule(checked(fraction), true, null);
    }

    private static double checked(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("switch fraction must be between 0 and 1, got " + fraction);
        }
        return fraction;
    }

    /** The given 0-based calls on the second UNet. */
    public static SwitchSchedule calls(Set<Integer> calls) {
        for (int call : calls) {
            if (call < 0) {
                throw new IllegalArgumentException("switch call index must be >= 0, got " + call);
            }
        }
        return new SwitchSchedule(Double.NaN, false, Set.copyOf(new TreeSet<>(calls)));
    }

    /** Parses {@code "0.4"}, {@code "last:0.7"} or {@code "calls:0,1,2"}. */
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
        boolean fromEnd = s.startsWith(LAST);
        try {
            double fraction = Double.parseDouble(fromEnd ? s.substring(LAST.length()) : s);
            return fromEnd ? lastFraction(fraction) : firstFraction(fraction);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("switch '" + text + "': expected a fraction such as 0.4 (the first 40% "
                    + "of the calls), last:0.7 (the last 70%) or calls:0,1,2");
        }
    }

    /** Whether call {@code callIndex} of {@code totalCalls} goes to the second UNet. */
    public boolean usesSecond(int callIndex, int totalCalls) {
        if (calls != null) {
            return calls.contains(callIndex);
        }
        long second = Math.round(fraction * totalCalls);
        return last ? callIndex >= totalCalls - second : callIndex < second;
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
                : (last ? LAST : "") + fraction;
    }
}
