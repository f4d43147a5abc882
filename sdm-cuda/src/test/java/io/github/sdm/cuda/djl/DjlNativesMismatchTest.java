package io.github.sdm.cuda.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL pointed at natives that are not a loadable libtorch 2.7.1 (a stand-in {@code libtorch.so} here, as a libtorch of
 * another version or build fails in the field): a GPU load says which natives it was given and what they must be. Runs
 * in a fresh JVM, since DJL's engine starts once per JVM.
 */
class DjlNativesMismatchTest {
    /** Loads the tiny model on {@code gpu:0} and prints the error's message. */
    public static void main(String[] args) {
        try (StableDiffusion sd = StableDiffusion.load(Path.of(args[0]),
                LoadOptions.defaults().withBackend("djl").withDevice("gpu:0"))) {
            System.out.println("LOADED");
        } catch (SdmException e) {
            System.out.println("MESSAGE " + e.getMessage());
        }
    }

    @Test
    void nativesThatDoNotLoadAreNamedWithWhatTheyMustBe(@TempDir Path dir) throws IOException, InterruptedException {
        Path natives = Files.createDirectories(dir.resolve("libtorch"));
        Files.writeString(natives.resolve("libtorch.so"), "not a shared library");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                DjlNativesMismatchTest.class.getName(), TestData.tinySd().toString())).redirectErrorStream(true);
        builder.environment().put("PYTORCH_LIBRARY_PATH", natives.toString());
        builder.environment().put("PYTORCH_VERSION", "2.7.1");
        builder.environment().put("PYTORCH_FLAVOR", "cu128");
        builder.environment().put("DJL_CACHE_DIR", dir.resolve("djl-cache").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        String message = output.lines().filter(l -> l.startsWith("MESSAGE ")).findFirst().orElse(output);
        System.out.println("gpu:0 with natives that do not load: " + message);
        assertTrue(message.contains("device 'gpu:0': DJL's PyTorch engine could not start")
                && message.contains("PYTORCH_LIBRARY_PATH=" + natives) && message.contains("libtorch 2.7.1"), message);
    }
}
