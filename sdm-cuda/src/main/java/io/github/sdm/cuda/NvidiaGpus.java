package io.github.sdm.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The NVIDIA GPUs of this machine as the driver's {@code nvidia-smi} lists them, without starting an engine: whether
 * the GPU tests can run, and what to print when they cannot. A machine without the driver has no GPU here, whatever
 * the engines' natives could do.
 */
public final class NvidiaGpus {
    /** The query: one CSV line per GPU. */
    static final List<String> QUERY = List.of("nvidia-smi", "--query-gpu=index,name,memory.total,driver_version",
            "--format=csv,noheader,nounits");

    /**
     * One GPU.
     *
     * @param index CUDA's number for it (before {@code CUDA_VISIBLE_DEVICES} renumbers)
     * @param name its product name
     * @param memoryMiB its memory in MiB
     * @param driver the driver version
     */
    public record Gpu(int index, String name, long memoryMiB, String driver) {
    }

    /**
     * What {@code nvidia-smi} answered.
     *
     * @param gpus the GPUs listed (empty when none or when the command failed)
     * @param problem why none are listed, for messages; empty when some are
     */
    public record Listing(List<Gpu> gpus, String problem) {
        /** Whether at least one GPU is there. */
        public boolean any() {
            return !gpus.isEmpty();
        }
    }

    private NvidiaGpus() {
    }

    /**
     * Lists the GPUs by running {@code nvidia-smi} (at most 20 seconds).
     *
     * @return the GPUs, or an empty list with the reason
     */
    public static Listing list() {
        Process process;
        try {
            process = new ProcessBuilder(QUERY).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Listing(List.of(), "nvidia-smi is not installed (no NVIDIA driver on this machine): "
                    + e.getMessage());
        }
        try (InputStream in = process.getInputStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroy();
                return new Listing(List.of(), "nvidia-smi did not answer within 20 s");
            }
            if (process.exitValue() != 0) {
                return new Listing(List.of(), "nvidia-smi failed (exit " + process.exitValue() + "): " + text.strip());
            }
            return parse(text);
        } catch (IOException e) {
            return new Listing(List.of(), "cannot read nvidia-smi's answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Listing(List.of(), "interrupted while nvidia-smi ran");
        }
    }

    /**
     * Reads {@code nvidia-smi}'s CSV answer to {@link #QUERY}.
     *
     * @param text the answer
     * @return the GPUs, or none with the reason
     * @throws IllegalArgumentException if a line is not {@code index, name, memory, driver}
     */
    static Listing parse(String text) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : text.strip().split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",\\s*");
            if (f.length != 4) {
                throw new IllegalArgumentException("nvidia-smi line '" + line + "': expected index, name, memory.total, "
                        + "driver_version");
            }
            try {
                gpus.add(new Gpu(Integer.parseInt(f[0].strip()), f[1].strip(), Long.parseLong(f[2].strip()),
                        f[3].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("nvidia-smi line '" + line + "': " + e.getMessage(), e);
            }
        }
        return new Listing(List.copyOf(gpus), gpus.isEmpty() ? "nvidia-smi lists no GPU" : "");
    }
}
