package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code LoadOptions.withThreads(n)} as the first load of a JVM: PyTorch's thread setting needs the engine's
 * natives, which a load must start first. Only a fresh JVM shows it (in this one some other test has long
 * started the engine), so the load runs in a child JVM on this test's class path.
 */
class FirstLoadWithThreadsTest {

    @Test
    void threadsWorkOnTheFirstLoadOfAJvm() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Dai.djl.offline=true", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), FirstLoadWithThreads.class.getName(),
                TestData.tinySd().toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("generated 64x64"), output);
    }
}
