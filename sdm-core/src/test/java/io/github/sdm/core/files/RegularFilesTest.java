package io.github.sdm.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.image.PngFiles;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reader of model files and images refuses what is not a regular file before opening it: opening a
 * named pipe would block until another process writes to it. Each check runs under a timeout, so that a
 * reader that does open the pipe fails the test instead of hanging the build.
 */
class RegularFilesTest {
    private static final Duration BLOCKED = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aNamedPipeAsWeightFileIsRefused() throws Exception {
        Path pipe = namedPipe("unet.safetensors");
        assertRefused(pipe, "a named pipe (FIFO)", ModelFormatException.class, () -> SafetensorsFile.open(pipe));
    }

    @Test
    void aNamedPipeAsTokenizerFileIsRefused() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("tokenizer"));
        Path clip = TestData.fixture("clip-tokenizer");
        Files.copy(clip.resolve("merges.txt"), folder.resolve("merges.txt"));
        Path vocab = namedPipe("tokenizer/vocab.json");
        assertRefused(vocab, "a named pipe (FIFO)", ModelFormatException.class, () -> ClipTokenizer.load(folder));
        Files.delete(vocab);
        Files.copy(clip.resolve("vocab.json"), vocab);
        Path merges = folder.resolve("merges.txt");
        Files.delete(merges);
        namedPipe("tokenizer/merges.txt");
        assertRefused(merges, "a named pipe (FIFO)", ModelFormatException.class, () -> ClipTokenizer.load(folder));
        Files.delete(merges);
        Files.copy(clip.resolve("merges.txt"), merges);
        Path config = namedPipe("tokenizer/tokenizer_config.json");
        assertRefused(config, "a named pipe (FIFO)", ModelFormatException.class, () -> ClipTokenizer.load(folder));
    }

    @Test
    void aNamedPipeAsConfigIsRefused() throws Exception {
        Path pipe = namedPipe("config.json");
        assertRefused(pipe, "a named pipe (FIFO)", ModelFormatException.class, () -> ConfigFile.read(pipe));
    }

    @Test
    void aNamedPipeAsImageIsRefused() throws Exception {
        Path pipe = namedPipe("init.png");
        assertRefused(pipe, "a named pipe (FIFO)", SdmException.class, () -> PngFiles.read(pipe));
        assertRefused(pipe, "a named pipe (FIFO)", SdmException.class, () -> PngFiles.readText(pipe));
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("model.safetensors"));
        assertRefused(folder, "a directory", ModelFormatException.class, () -> SafetensorsFile.open(folder));
    }

    @Test
    void symbolicLinksAreFollowed() throws IOException {
        Path link = dir.resolve("linked.png");
        try {
            Files.createSymbolicLink(link, TestData.fixture("images/source-61x47.png"));
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("cannot make a symbolic link here: " + e);
        }
        assertEquals(61, PngFiles.read(link).getWidth());
    }

    private static void assertRefused(Path path, String kind, Class<? extends SdmException> type, Executable read) {
        SdmException e = assertTimeoutPreemptively(BLOCKED, () -> assertThrows(type, read),
                "reading " + path + " blocked");
        assertEquals(path + " is " + kind + ", not a regular file; sdm reads only regular files (and symbolic links"
                + " to them)", e.getMessage());
    }

    /** A named pipe made with {@code mkfifo}; the test is skipped where there is none. */
    private Path namedPipe(String name) throws InterruptedException {
        Path pipe = dir.resolve(name);
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                Assumptions.abort("mkfifo failed: " + new String(mkfifo.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            Assumptions.abort("no mkfifo on this machine: " + e.getMessage());
        }
        return pipe;
    }
}
