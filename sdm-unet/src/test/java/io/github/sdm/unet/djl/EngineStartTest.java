package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.LibUtils;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first load in a JVM, as a library user makes it (no launcher, no {@code -Dai.djl.offline}): it opens no
 * socket, sets DJL's offline and no-tracking switches unless the user chose, and logs no CUDA warning for a CPU
 * load. Each case runs {@link EngineStartProbe} in a fresh JVM, since the engine starts once per JVM.
 */
class EngineStartTest {

    @TempDir
    Path temp;

    @Test
    void aLibraryLoadOpensNoSocketAndLogsNoCudaWarning() throws Exception {
        Run run = probe();
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.stdout.contains("loaded"), run.toString());
        assertFalse(run.stdout.contains("socket opened"), "the load used the network:\n" + run);
        assertTrue(run.stdout.contains("ai.djl.offline=true"), run.toString());
        assertTrue(run.stdout.contains("OPT_OUT_TRACKING=true"), run.toString());
        assertFalse(run.stderr.contains("CudaUtils"), "a CPU load logged DJL's CUDA probe:\n" + run.stderr);
    }

    @Test
    void anExplicitOfflineChoiceIsKeptAndTrackingStaysOff() throws Exception {
        Run run = probe("-Dai.djl.offline=false");
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.stdout.contains("ai.djl.offline=false"), run.toString());
        assertTrue(run.stdout.contains("OPT_OUT_TRACKING=true"), run.toString());
        assertFalse(run.stdout.contains("socket opened"), "the load used the network:\n" + run);
    }

    /** The folder the first-start message names is the one DJL unpacks the natives to. */
    @Test
    void theAnnouncedNativesFolderIsWhereDjlUnpacksThem() {
        try (StableDiffusion sd = StableDiffusion.load(TestData.tinySd())) {
            Path announced = DjlEngineSetup.nativesFolder(DjlEngineSetup.nativesOnClassPath());
            assertEquals(Path.of(LibUtils.getLibtorchPath()).toAbsolutePath(), announced.toAbsolutePath());
        }
    }

    private Run probe(String... jvmOptions) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath, EngineStartProbe.class.getName(),
                TestData.tinySd().toAbsolutePath().toString()));
        Path out = temp.resolve("stdout.txt");
        Path err = temp.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("DJL_OFFLINE");
        builder.environment().remove("OPT_OUT_TRACKING");
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe JVM did not finish within 300 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
