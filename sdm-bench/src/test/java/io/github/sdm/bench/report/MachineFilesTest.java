package io.github.sdm.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of the Linux files the reports read. */
class MachineFilesTest {

    @Test
    void peakResidentMemoryIsVmHwmInBytes() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 9000000 kB", "VmHWM:\t 7245832 kB", "VmRSS:\t 100 kB");
        assertEquals(7_245_832L * 1024, MemoryUsage.parseVmHwm(status));
        assertEquals(-1, MemoryUsage.parseVmHwm(List.of("Name:\tjava")));
    }

    @Test
    void theCurrentMachineIsDescribedInOneLine() {
        MachineInfo m = MachineInfo.current();
        assertEquals(Runtime.getRuntime().availableProcessors(), m.cores());
        assertEquals(1, m.describe().lines().count());
    }
}
