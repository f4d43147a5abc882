package io.github.sdm.cuda.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.cuda.LibTorchFolder;
import io.github.sdm.cuda.StandInTorch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL pointed at natives that are not a loadable libtorch 2.7.1 (a stand-in {@code libtorch.so} here, as a libtorch of
 * another version or build fails in the field): a GPU load says which natives it was given and what they must be. Runs
 * in a fresh JVM, since DJL's engine starts once per JVM.
 */
class DjlNativesMismatchTest {
    /**
     * Loads the tiny model on {@code gpu:0} and prints the error's message; with a second argument, a torch/lib folder,
     * DJL is pointed at it through {@link LibTorchFolder#useForDjl()} first.
     */
    public static void main(String[] args) {
        if (args.length > 1) {
            LibTorchFolder.of(Path.of(args[1])).useForDjl();
        }
        try (StableDiffusion sd = StableDiffusion.load(Path.of(args[0]),
                LoadOptions.defaults().withBackend("djl").withDevice("gpu:0"))) {
            System.out.println("LOADED");
        } catch (SdmException e) {
            System.out.println("MESSAGE " + e.getMessage());
        }
    }

    /** Runs {@link #main} in a fresh JVM with {@code environment} added; returns the message line. */
    private static String loadInFreshJvm(Path dir, Map<String, String> environment, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                DjlNativesMismatchTest.class.getName(), TestData.tinySd().toString()));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("PYTORCH_LIBRARY_PATH");
        builder.environment().putAll(environment);
        builder.environment().put("DJL_CACHE_DIR", dir.resolve("djl-cache").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        return output.lines().filter(l -> l.startsWith("MESSAGE ")).findFirst().orElse(output);
    }

    @Test
    void nativesThatDoNotLoadAreNamedWithWhatTheyMustBe(@TempDir Path dir) throws IOException, InterruptedException {
        Path natives = Files.createDirectories(dir.resolve("libtorch"));
        Files.writeString(natives.resolve("libtorch.so"), "not a shared library");
        String message = loadInFreshJvm(dir, Map.of("PYTORCH_LIBRARY_PATH", natives.toString(),
                "PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cu128"));
        System.out.println("gpu:0 with natives that do not load: " + message);
        assertTrue(message.contains("device 'gpu:0': DJL's PyTorch engine could not start")
                && message.contains("PYTORCH_LIBRARY_PATH=" + natives) && message.contains("libtorch 2.7.1"), message);
    }

    @Test
    void libTorchFolderPointsDjlAtItsFolderFromJava(@TempDir Path dir) throws IOException, InterruptedException {
        // stand-in libraries: DJL reaching them and failing on them proves it was pointed there
        Path lib = StandInTorch.pipTorch(dir, "2.7.1+cu128", true);
        String message = loadInFreshJvm(dir, Map.of(), lib.toString());
        assertTrue(message.contains("device 'gpu:0': DJL's PyTorch engine could not start")
                && message.contains(lib.toAbsolutePath() + "/libtorch")
                && message.contains("PYTORCH_LIBRARY_PATH=" + lib.toAbsolutePath())
                && message.contains("PYTORCH_VERSION=2.7.1, PYTORCH_FLAVOR=cu128"), message);
    }
}
