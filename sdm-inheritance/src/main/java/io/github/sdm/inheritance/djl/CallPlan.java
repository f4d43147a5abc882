package io.github.sdm.inheritance.djl;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.inheritance.KeyStepSchedule;

/** The key steps of one generation, resolved once: which calls compute fully and which reuse. */
final class CallPlan {
    private final boolean[] key;

    private CallPlan(boolean[] key) {
        this.key = key;
    }

    static CallPlan of(KeyStepSchedule schedule, int totalCalls) {
        boolean[] key = new boolean[totalCalls];
        if (totalCalls > 0) {
            for (int k : schedule.keySteps(totalCalls)) {
                key[k] = true;
            }
        }
        return new CallPlan(key);
    }

    int totalCalls() {
        return key.length;
    }

    boolean isKey(int callIndex) {
        check(callIndex);
        return key[callIndex];
    }

    /** Whether the call after {@code callIndex} reuses, so that this call must leave a cache behind. */
    boolean nextReuses(int callIndex) {
        check(callIndex);
        return callIndex + 1 < key.length && !key[callIndex + 1];
    }

    int keyCount() {
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
