package io.github.sdm.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Folders laid out as pip installs torch, with stand-in files for its libraries (nothing here loads). */
public final class StandInTorch {
    private StandInTorch() {
    }

    /**
     * Writes {@code site-packages/torch/lib} with {@code libtorch} (and {@code libtorch_cuda} when {@code cuda}) and
     * {@code torch/version.py} naming {@code version}, as pip's torch has them.
     *
     * @return the {@code lib} folder
     */
    public static Path pipTorch(Path dir, String version, boolean cuda) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("site-packages/torch/lib"));
        Files.writeString(lib.resolve(System.mapLibraryName("torch")), "stand-in");
        if (cuda) {
            Files.writeString(lib.resolve(System.mapLibraryName("torch_cuda")), "stand-in");
        }
        Files.writeString(lib.resolveSibling("version.py"), "from typing import Optional\n\n__all__ = ['__version__']\n"
                + "__version__ = '" + version + "'\ndebug = False\ncuda: Optional[str] = '12.8'\n");
        return lib;
    }
}
