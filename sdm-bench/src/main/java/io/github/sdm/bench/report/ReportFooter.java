package io.github.sdm.bench.report;

import java.io.PrintWriter;

/** The closing lines every benchmark report ends with: the process's memory peaks and the machine's load at the end. */
public final class ReportFooter {

    private ReportFooter() {
    }

    /** Prints the peak memory and the load average now, as the report's last lines. */
    public static void print(PrintWriter out) {
        out.println("Memory: " + MemoryUsage.current().describe() + "  ");
        out.println("Machine at end: load average " + MachineInfo.current().loadAverage());
    }
}
