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
 */
public record MachineInfo(int cores, String cpuModel, String loadAverage, String javaVersion) {

    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readLoadAverage(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    /** One Markdown line: {@code 2 cores (AMD EPYC), load average 2.94 2.91 2.12, OpenJDK 64-Bit Server VM 17.0.15}. */
    public String describe() {
        return cores + " cores (" + cpuModel + "), load average " + loadAverage + " (1/5/15 min), " + javaVersion;
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
