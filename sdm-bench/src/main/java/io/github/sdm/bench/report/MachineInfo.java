package io.github.sdm.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a reader needs to judge a measurement: cores, CPU, load (the machine may be shared), Java version.
 * Linux files are read where present; elsewhere the fields say {@code n/a}.
 *
 * @param loadAverage the 1, 5 and 15 minute load averages of {@code /proc/loadavg}, as written there
 * @param environment the environment variables that change timings, set or not
 */
public record MachineInfo(int cores, String cpuModel, String loadAverage, String javaVersion, String environment) {
    /**
     * Environment variables that change the timings a lot: PyTorch's OpenMP threads (how many, and whether
     * they spin while waiting) and glibc's allocator tunables (huge pages for the big temporaries).
     */
    private static final List<String> TIMING_VARIABLES = List.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GLIBC_TUNABLES");

    public static MachineInfo current() {
        StringBuilder environment = new StringBuilder();
        for (String name : TIMING_VARIABLES) {
            String value = System.getenv(name);
            environment.append(environment.length() == 0 ? "" : " ").append(name).append('=')
                    .append(value == null ? "(unset)" : value);
        }
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readLoadAverage(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), environment.toString());
    }

    /**
     * One Markdown line: {@code 2 cores (AMD EPYC), load average 2.94 2.91 2.12 (1/5/15 min), OpenJDK 64-Bit
     * Server VM 17.0.15, OMP_NUM_THREADS=(unset) OMP_WAIT_POLICY=PASSIVE GLIBC_TUNABLES=(unset)}.
     */
    public String describe() {
        return cores + " cores (" + cpuModel + "), load average " + loadAverage + " (1/5/15 min), " + javaVersion
                + ", " + environment;
    }

    private static String readLoadAverage() {
        List<String> lines = read(Path.of("/proc/loadavg"));
        if (lines.isEmpty()) {
            return "n/a";
        }
        String[] fields = lines.get(0).trim().split("\\s+");
        return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "n/a";
    }

    private static String readCpuModel() {
        for (String line : read(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                int colon = line.indexOf(':');
                return colon < 0 ? "n/a" : line.substring(colon + 1).trim();
            }
        }
        return "n/a";
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
