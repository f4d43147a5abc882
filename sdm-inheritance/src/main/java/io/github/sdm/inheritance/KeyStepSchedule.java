package io.github.sdm.inheritance;

import io.github.sdm.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Which UNet calls of a generation are <em>key steps</em>, computed in full (refreshing the caches); the
 * others reuse what the last key step cached. The schedule is over calls, not sampler steps: a sampler
 * that calls the UNet twice per step (Heun, DPM2) has twice as many calls, and img2img has only the calls
 * of the steps it runs. Call 0 is always a key step.
 *
 * <p>Spec forms (see {@link FeatureInheritance} for the whole grammar): {@code interval=N},
 * {@code quadratic=N} or {@code quadratic=N,center=F}, {@code bands=A,B,interval=N}, {@code keys=I,J,...}.
 */
public sealed interface KeyStepSchedule
        permits KeyStepSchedule.Uniform, KeyStepSchedule.Quadratic, KeyStepSchedule.Bands, KeyStepSchedule.Explicit {

    /**
     * Whether call {@code callIndex} (0-based) of a generation of {@code totalCalls} UNet calls is a key step.
     *
     * @param callIndex the UNet call, 0-based
     * @param totalCalls the generation's UNet calls, at least 1
     * @return true at a key step
     * @throws InvalidRequestException if {@code totalCalls < 1} or {@code callIndex} is outside {@code 0..totalCalls-1}
     */
    default boolean isKey(int callIndex, int totalCalls) {
        checkCall(callIndex, totalCalls);
        return Arrays.binarySearch(keySteps(totalCalls), callIndex) >= 0;
    }

    /**
     * The key steps among {@code totalCalls} calls, ascending; the first is always 0.
     *
     * @param totalCalls the generation's UNet calls, at least 1
     * @return a new array of call indices below {@code totalCalls}
     * @throws InvalidRequestException if {@code totalCalls} is below 1
     */
    int[] keySteps(int totalCalls);

    /**
     * This schedule in the spec grammar, e.g. {@code bands=2,2,interval=4}; parses back to an equal schedule.
     *
     * @return the schedule part of a spec
     */
    String spec();

    /**
     * Parses the schedule part of a spec, e.g. {@code interval=3}.
     *
     * @param spec one of the schedule forms above
     * @return the schedule
     * @throws InvalidRequestException naming the token at fault
     */
    static KeyStepSchedule parse(String spec) {
        return InheritanceSpecParser.parseSchedule(spec, spec);
    }

    /**
     * Every {@code interval}-th call: 0, N, 2N, ... DeepCache's uniform 1:N schedule.
     *
     * @param interval N, at least 1 (1: every call is a key step)
     */
    record Uniform(int interval) implements KeyStepSchedule {
        /**
         * Checks the interval.
         *
         * @param interval N, at least 1
         * @throws InvalidRequestException if {@code interval} is below 1
         */
        public Uniform {
            requireAtLeast("interval", interval, 1);
        }

        @Override
        public boolean isKey(int callIndex, int totalCalls) {
            checkCall(callIndex, totalCalls);
            return callIndex % interval == 0;
        }

        @Override
        public int[] keySteps(int totalCalls) {
            return KeyStepSchedule.byPredicate(this, totalCalls);
        }

        @Override
        public String spec() {
            return "interval=" + interval;
        }
    }

    /**
     * Non-uniform 1:N, in the spirit of DeepCache's {@code sample_from_quad_center}: {@code ceil(T/N)} key
     * steps among {@code T} calls, densest around the call {@code round(center * T)} (DeepCache centres on
     * step 15 of 50, {@code center = 0.3}) and sparser towards both ends.
     *
     * <p>The key steps are {@code round(c + sign(u) |u|^p)} for {@code K+1} values {@code u} evenly spaced
     * from {@code -c^(1/p)} to {@code (T-c)^(1/p)}, the last one (which lands on {@code T}) dropped, with
     * {@code K = ceil(T/N)} and {@code c = round(center * T)}. The exponent starts at {@code p = 2}
     * (quadratic) and is lowered in steps of 0.05 until the {@code K} calls are distinct; at {@code p = 1}
     * they are evenly spaced, so this always ends. The first is call 0.
     *
     * @param interval the mean distance between key steps, N
     * @param center where the key steps are densest, as a fraction of the calls (0 to 1)
     */
    record Quadratic(int interval, double center) implements KeyStepSchedule {
        /** DeepCache's centre for Stable Diffusion: step 15 of 50. */
        public static final double DEFAULT_CENTER = 0.3;
        private static final double START_POWER = 2.0;
        private static final double POWER_STEP = 0.05;

        /**
         * Checks the interval and centre.
         *
         * @param interval N, at least 1
         * @param center in [0, 1]
         * @throws InvalidRequestException if {@code interval} is below 1 or {@code center} outside [0, 1]
         */
        public Quadratic {
            requireAtLeast("quadratic interval", interval, 1);
            if (!(center >= 0 && center <= 1)) {
                throw new InvalidRequestException("quadratic schedule center must be a fraction of the calls"
                        + " between 0 and 1, got " + center);
            }
        }

        /**
         * DeepCache's centre, {@link #DEFAULT_CENTER}.
         *
         * @param interval N, at least 1
         * @throws InvalidRequestException if {@code interval} is below 1
         */
        public Quadratic(int interval) {
            this(interval, DEFAULT_CENTER);
        }

        @Override
        public int[] keySteps(int totalCalls) {
            requireAtLeast("totalCalls", totalCalls, 1);
            int count = (totalCalls + interval - 1) / interval;
            if (count == 1) {
                return new int[] {0};
            }
            double c = Math.round(center * totalCalls);
            int steps = (int) Math.round((START_POWER - 1) / POWER_STEP);
            for (int s = 0; ; s++) {
                double p = s >= steps ? 1.0 : START_POWER - s * POWER_STEP;
                double from = -Math.pow(c, 1 / p);
                double to = Math.pow(totalCalls - c, 1 / p);
                TreeSet<Integer> keys = new TreeSet<>();
                for (int j = 0; j < count; j++) {
                    double u = from + (to - from) * j / count;
                    long key = Math.round(c + Math.signum(u) * Math.pow(Math.abs(u), p));
                    keys.add((int) Math.max(0, Math.min(totalCalls - 1, key)));
                }
                if (keys.size() == count || p == 1.0) {
                    return keys.stream().mapToInt(Integer::intValue).toArray();
                }
            }
        }

        @Override
        public String spec() {
            return "quadratic=" + interval + (center == DEFAULT_CENTER ? "" : ",center=" + center);
        }
    }

    /**
     * Full computation in the first {@code early} and the last {@code late} calls, where the features change
     * fastest (layout at the start, fine detail at the end), and every {@code interval}-th call in between,
     * counted from call {@code early}.
     *
     * @param early the leading calls that are all key steps, at least 0
     * @param late the trailing calls that are all key steps, at least 0
     * @param interval N between the bands, at least 1
     */
    record Bands(int early, int late, int interval) implements KeyStepSchedule {
        /**
         * Checks the band widths and interval.
         *
         * @param early at least 0
         * @param late at least 0
         * @param interval at least 1
         * @throws InvalidRequestException if a value is below its minimum
         */
        public Bands {
            requireAtLeast("bands early calls", early, 0);
            requireAtLeast("bands late calls", late, 0);
            requireAtLeast("bands interval", interval, 1);
        }

        @Override
        public boolean isKey(int callIndex, int totalCalls) {
            checkCall(callIndex, totalCalls);
            return callIndex < early || callIndex >= totalCalls - late
                    || (callIndex - early) % interval == 0;
        }

        @Override
        public int[] keySteps(int totalCalls) {
            return KeyStepSchedule.byPredicate(this, totalCalls);
        }

        @Override
        public String spec() {
            return "bands=" + early + "," + late + ",interval=" + interval;
        }
    }

    /**
     * The key steps listed; 0 is added if missing, keys at or beyond the number of calls are ignored.
     *
     * @param keys distinct, ascending, non-negative call indices starting with 0 (as stored; the constructor sorts,
     *     deduplicates and adds 0)
     */
    record Explicit(List<Integer> keys) implements KeyStepSchedule {
        /**
         * Sorts the keys, drops duplicates and adds 0.
         *
         * @param keys call indices, each at least 0
         * @throws InvalidRequestException if {@code keys} or a key is null, or a key is negative
         */
        public Explicit {
            if (keys == null) {
                throw new InvalidRequestException("explicit key steps must not be null");
            }
            TreeSet<Integer> sorted = new TreeSet<>();
            sorted.add(0);
            for (Integer key : keys) {
                if (key == null || key < 0) {
                    throw new InvalidRequestException("key step " + key + " must be a call index >= 0");
                }
                sorted.add(key);
            }
            keys = List.copyOf(sorted);
        }

        /**
         * The schedule of these key steps.
         *
         * @param keys call indices, each at least 0, in any order
         * @return the schedule, 0 added
         * @throws InvalidRequestException if a key is negative
         */
        public static Explicit of(int... keys) {
            List<Integer> list = new ArrayList<>();
            for (int k : keys) {
                list.add(k);
            }
            return new Explicit(list);
        }

        @Override
        public int[] keySteps(int totalCalls) {
            requireAtLeast("totalCalls", totalCalls, 1);
            return keys.stream().mapToInt(Integer::intValue).filter(k -> k < totalCalls).toArray();
        }

        @Override
        public String spec() {
            StringBuilder sb = new StringBuilder("keys=");
            for (int i = 0; i < keys.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(keys.get(i));
            }
            return sb.toString();
        }
    }

    private static int[] byPredicate(KeyStepSchedule schedule, int totalCalls) {
        requireAtLeast("totalCalls", totalCalls, 1);
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < totalCalls; i++) {
            if (schedule.isKey(i, totalCalls)) {
                keys.add(i);
            }
        }
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void checkCall(int callIndex, int totalCalls) {
        requireAtLeast("totalCalls", totalCalls, 1);
        if (callIndex < 0 || callIndex >= totalCalls) {
            throw new InvalidRequestException("UNet call index " + callIndex + " is outside 0.." + (totalCalls - 1)
                    + " (" + totalCalls + " calls)");
        }
    }

    private static void requireAtLeast(String what, int value, int min) {
        if (value < min) {
            throw new InvalidRequestException(what + " must be >= " + min + ", got " + value);
        }
    }
}
