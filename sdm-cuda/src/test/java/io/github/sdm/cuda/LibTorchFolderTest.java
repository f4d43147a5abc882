package io.github.sdm.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.SdmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibTorchFolderTest {
    @Test
    void pipsTorchOfTheRightBuildIsAccepted(@TempDir Path dir) throws IOException {
        Path lib = StandInTorch.pipTorch(dir, "2.7.1+cu128", true);
        LibTorchFolder folder = LibTorchFolder.of(lib);
        assertEquals("2.7.1+cu128", folder.version());
        assertEquals(lib.toAbsolutePath(), folder.lib());
    }

    @Test
    void aLibtorchDownloadIsReadFromItsBuildVersion(@TempDir Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("libtorch/lib"));
        Files.writeString(lib.resolve(System.mapLibraryName("torch")), "stand-in");
        Files.writeString(lib.resolve(System.mapLibraryName("torch_cuda")), "stand-in");
        Files.writeString(lib.resolveSibling("build-version"), "2.7.1+cu128\n");
        assertEquals("2.7.1+cu128", LibTorchFolder.of(lib).version());
    }

    @Test
    void anotherVersionIsRefusedNamingBoth(@TempDir Path dir) throws IOException {
        Path lib = StandInTorch.pipTorch(dir, "2.6.0+cu124", true);
        SdmException e = assertThrows(SdmException.class, () -> LibTorchFolder.of(lib));
        assertTrue(e.getMessage().contains(lib + " holds PyTorch 2.6.0+cu124")
                && e.getMessage().contains("needs libtorch 2.7.1+cu128"), e.getMessage());
    }

    @Test
    void aCpuOnlyLibtorchIsRefused(@TempDir Path dir) throws IOException {
        Path lib = StandInTorch.pipTorch(dir, "2.7.1+cpu", false);
        SdmException e = assertThrows(SdmException.class, () -> LibTorchFolder.of(lib));
        assertTrue(e.getMessage().contains("has no " + System.mapLibraryName("torch_cuda") + " (a CPU-only libtorch?)"),
                e.getMessage());
    }

    @Test
    void aFolderWithoutItsVersionIsRefused(@TempDir Path dir) throws IOException {
        Path lib = StandInTorch.pipTorch(dir, "2.7.1+cu128", true);
        Files.delete(lib.resolveSibling("version.py"));
        SdmException e = assertThrows(SdmException.class, () -> LibTorchFolder.of(lib));
        assertTrue(e.getMessage().contains("says which PyTorch it is"), e.getMessage());
    }

    @Test
    void useForDjlSetsWhatDjlReads(@TempDir Path dir) throws IOException {
        Properties saved = (Properties) System.getProperties().clone();
        try {
            Path lib = StandInTorch.pipTorch(dir, "2.7.1+cu128", true);
            LibTorchFolder.of(lib).useForDjl();
            assertEquals(lib.toAbsolutePath().toString(), System.getProperty("PYTORCH_LIBRARY_PATH"));
            assertEquals("2.7.1", System.getProperty("PYTORCH_VERSION"));
            assertEquals("cu128", System.getProperty("PYTORCH_FLAVOR"));
        } finally {
            System.setProperties(saved);
        }
    }
}
