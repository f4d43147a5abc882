package io.github.sdm.bench.perf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time this process has used, all threads together, split into user and kernel time. On a shared
 * machine the CPU time of a piece of work moves much less than its wall time, and a large kernel share
 * points at page faults (PyTorch's big temporaries are fresh memory on every call).
 *
 * <p>Read from {@code /proc/self/stat} (in clock ticks of 10 ms, Linux's fixed {@code USER_HZ} of 100);
 * elsewhere the JVM's total process CPU time is reported as user time.
 */
public record CpuTimes(long userNanos, long systemNanos) {
    private static final long NANOS_PER_TICK = 10_000_000L;

    public static CpuTimes now() {
        try {
            return parseStat(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return new CpuTimes(Math.max(0, os.getProcessCpuTime()), 0);
            }
            return new CpuTimes(0, 0);
        }
    }

    /** Fields 14 and 15 ({@code utime}, {@code stime}) of a {@code /proc/<pid>/stat} line. */
    static CpuTimes parseStat(String stat) {
        // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return new CpuTimes(Long.parseLong(f[11]) * NANOS_PER_TICK, Long.parseLong(f[12]) * NANOS_PER_TICK);
    }

    /**
     * This process's CPU time, all threads, user and system together, at nanosecond resolution (the JVM's
     * {@code getProcessCpuTime}): for pieces of work too short for {@link #now()}'s 10 ms ticks, such as one part of
     * a network call. {@code 0} where the JVM cannot tell.
     */
    public static long processNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    public long totalNanos() {
        return userNanos + systemNanos;
    }

    public CpuTimes minus(CpuTimes earlier) {
        return new CpuTimes(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
    }

    public CpuTimes plus(CpuTimes other) {
        return new CpuTimes(userNanos + other.userNanos, systemNanos + other.systemNanos);
    }
}
