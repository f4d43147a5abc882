package io.github.sdm.inheritance.plan;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.inheritance.KeyStepSchedule;

/**
 * The key steps of one generation, resolved once: which calls compute fully and which reuse. The same plan drives
 * every engine's execution, so a schedule gives the same calls on each.
 */
public final class CallPlan {
    private final boolean[] key;

    private CallPlan(boolean[] key) {
        this.key = key;
    }

    /**
     * The plan of {@code schedule} over {@code totalCalls} UNet calls.
     *
     * @param schedule the key-step schedule
     * @param totalCalls the generation's number of UNet calls
     * @return the plan
     */
    public static CallPlan of(KeyStepSchedule schedule, int totalCalls) {
        boolean[] key = new boolean[totalCalls];
        if (totalCalls > 0) {
            for (int k : schedule.keySteps(totalCalls)) {
                key[k] = true;
            }
        }
        return new CallPlan(key);
    }

    /**
     * The generation's number of UNet calls.
     *
     * @return the count
     */
    public int totalCalls() {
        return key.length;
    }

    /**
     * Whether call {@code callIndex} is a key step (computed in full).
     *
     * @param callIndex the call, 0-based
     * @return true for a key step
     * @throws InvalidRequestException if the call is outside the plan
     */
    public boolean isKey(int callIndex) {
        check(callIndex);
        return key[callIndex];
    }

    /**
     * Whether the call after {@code callIndex} reuses, so that this call must leave a cache behind.
     *
     * @param callIndex the call, 0-based
     * @return true when the next call exists and is not a key step
     * @throws InvalidRequestException if the call is outside the plan
     */
    public boolean nextReuses(int callIndex) {
        check(callIndex);
        return callIndex + 1 < key.length && !key[callIndex + 1];
    }

    /**
     * The number of key steps.
     *
     * @return the count
     */
    public int keyCount() {
        int n = 0;
        for (boolean k : key) {
            n += k ? 1 : 0;
        }
        return n;
    }

    private void check(int callIndex) {
        if (callIndex < 0 || callIndex >= key.length) {
            throw new InvalidRequestException("UNet call index " + callIndex + " is outside the " + key.length
                    + " calls this generation's feature inheritance was planned for (0.." + (key.length - 1) + ")");
        }
    }
}
