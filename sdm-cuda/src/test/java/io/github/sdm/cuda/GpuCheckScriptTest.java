package io.github.sdm.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/gpu-check} where no GPU answers: it stops before building anything, says why and exits 2 ("nothing
 * checked"), so a CI log can tell a skipped check from a passed one. A stand-in {@code nvidia-smi} first on the PATH
 * makes this the same on every machine, GPU or not.
 */
class GpuCheckScriptTest {
    private static final Path SCRIPT = Path.of("../scripts/gpu-check");

    private record Run(int code, String output) {
    }

    private static Run run(Path fakeBin) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
        builder.environment().put("SDM_GPU_CHECK_DIR", fakeBin.resolveSibling("work").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "gpu-check did not stop: " + output);
        return new Run(process.exitValue(), output);
    }

    private static Path fakeNvidiaSmi(Path folder, String body) throws IOException {
        Path bin = Files.createDirectories(folder.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void aDriverThatListsNoGpuChecksNothingAndExitsTwo(@TempDir Path dir) throws Exception {
        Run r = run(fakeNvidiaSmi(dir, "echo 'No devices were found' >&2; exit 6"));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("gpu-check: nvidia-smi lists no GPU (No devices were found): nothing was run"),
                r.output());
    }

    @Test
    void anEmptyListingChecksNothingEither(@TempDir Path dir) throws Exception {
        Run r = run(fakeNvidiaSmi(dir, "exit 0"));
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("nvidia-smi lists no GPU (no output)"), r.output());
    }
}
