package io.github.sdm.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CpuTimesTest {

    @Test
    void userAndKernelTimeAreFieldsFourteenAndFifteenOfStatInTicks() {
        // A command name with a space and a parenthesis must not shift the fields.
        String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 37 0 0 20 0 40 0 100";
        CpuTimes t = CpuTimes.parseStat(stat);
        assertEquals(new CpuTimes(2_500_000_000L, 370_000_000L), t);
        assertEquals(2_870_000_000L, t.totalNanos());
        assertEquals(new CpuTimes(500_000_000L, 70_000_000L), t.minus(new CpuTimes(2_000_000_000L, 300_000_000L)));
    }
}
