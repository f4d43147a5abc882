package io.github.sdm.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's memory high-water marks: peak resident set (native tensors included, from Linux's
 * {@code VmHWM}) and peak Java heap (the sum of the heap pools' peaks, an upper bound on the true peak).
 *
 * @param peakResidentBytes {@code VmHWM}, or -1 where {@code /proc/self/status} does not exist
 * @param peakHeapBytes the heap pools' peak usage, summed
 * @param maxHeapBytes the heap limit ({@code -Xmx})
 */
public record MemoryUsage(long peakResidentBytes, long peakHeapBytes, long maxHeapBytes) {

    public static MemoryUsage current() {
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return new MemoryUsage(peakResident(Path.of("/proc/self/status")), heap, Runtime.getRuntime().maxMemory());
    }

    /** {@code VmHWM} of a {@code /proc/<pid>/status} file in bytes, or -1 if absent. */
    static long peakResident(Path status) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return parseVmHwm(lines);
    }

    /** The process's resident set now ({@code VmRSS}) in bytes, or -1 where {@code /proc/self/status} does not exist. */
    public static long residentNow() {
        try {
            return parseField(Files.readAllLines(Path.of("/proc/self/status")), "VmRSS:");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parseVmHwm(List<String> statusLines) {
        return parseField(statusLines, "VmHWM:");
    }

    private static long parseField(List<String> statusLines, String field) {
        for (String line : statusLines) {
            if (line.startsWith(field)) {
                String[] fields = line.substring(field.length()).trim().split("\\s+");
                long value = Long.parseLong(fields[0]);
                return fields.length > 1 && fields[1].equalsIgnoreCase("kB") ? value * 1024 : value;
            }
        }
        return -1;
    }

    /** {@code peak RSS 6.91 GiB, peak Java heap 412.0 MiB of 6.00 GiB}. */
    public String describe() {
        return "peak RSS " + Format.bytes(peakResidentBytes) + ", peak Java heap " + Format.bytes(peakHeapBytes)
                + " of " + Format.bytes(maxHeapBytes);
    }
}
