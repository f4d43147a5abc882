package io.github.sdm.cuda;

import io.github.sdm.core.error.SdmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A libtorch folder for the djl backend on a GPU, checked before DJL's engine starts: Maven Central has no CUDA build
 * of PyTorch 2.7.1, so the natives come from a libtorch download or pip's {@code torch/lib}, and one of another
 * version or CUDA build would fail later in DJL with a bare linker error. {@link #useForDjl()} then points DJL at it
 * from Java, without environment variables.
 */
public final class LibTorchFolder {
    /** The PyTorch version whose JNI glue DJL 0.35.1 ships ({@code pytorch-jni 2.7.1-0.35.1}). */
    public static final String VERSION = "2.7.1";
    /** The CUDA build that glue is for on Linux x86-64. */
    public static final String FLAVOR = "cu128";
    private static final Pattern PIP_VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private final Path lib;
    private final String version;

    private LibTorchFolder(Path lib, String version) {
        this.lib = lib;
        this.version = version;
    }

    /**
     * Checks {@code lib}: it holds {@code libtorch} and {@code libtorch_cuda} (or their Windows names), and its version,
     * read from pip's {@code torch/version.py} or a libtorch download's {@code build-version} beside it, is
     * {@value #VERSION}+{@value #FLAVOR}.
     *
     * @param lib pip's {@code .../site-packages/torch/lib}, or a libtorch download's {@code libtorch/lib}
     * @return the checked folder
     * @throws SdmException naming the folder, what it lacks or which version it holds, and what is needed
     */
    public static LibTorchFolder of(Path lib) {
        String needed = "the djl backend on a GPU needs libtorch " + VERSION + "+" + FLAVOR + " (pip's torch=="
                + VERSION + "+" + FLAVOR + " torch/lib folder, or libtorch " + VERSION + " for CUDA 12.8's lib folder); "
                + "see docs/gpu.md";
        for (String library : new String[] {"torch", "torch_cuda"}) {
            if (!Files.isRegularFile(lib.resolve(System.mapLibraryName(library)))) {
                throw new SdmException(lib + " has no " + System.mapLibraryName(library)
                        + (library.equals("torch_cuda") ? " (a CPU-only libtorch?)" : "") + ": " + needed);
            }
        }
        Optional<String> version = versionBeside(lib);
        if (version.isEmpty()) {
            throw new SdmException(lib + ": no ../version.py (pip) or ../build-version (libtorch download) says which "
                    + "PyTorch it is: " + needed);
        }
        if (!version.get().equals(VERSION + "+" + FLAVOR)) {
            throw new SdmException(lib + " holds PyTorch " + version.get() + ": " + needed);
        }
        return new LibTorchFolder(lib.toAbsolutePath(), version.get());
    }

    /** The folder with the libraries. */
    public Path lib() {
        return lib;
    }

    /** The PyTorch version it holds, e.g. {@code 2.7.1+cu128}. */
    public String version() {
        return version;
    }

    /**
     * Points DJL at this folder: sets the system properties {@code PYTORCH_LIBRARY_PATH}, {@code PYTORCH_VERSION} and
     * {@code PYTORCH_FLAVOR}, which DJL reads as it reads the environment variables of those names (an environment
     * variable, where set, still wins). Call it before the first model loads on the djl backend: DJL's engine starts
     * once per JVM.
     */
    public void useForDjl() {
        System.setProperty("PYTORCH_LIBRARY_PATH", lib.toString());
        System.setProperty("PYTORCH_VERSION", VERSION);
        System.setProperty("PYTORCH_FLAVOR", FLAVOR);
    }

    private static Optional<String> versionBeside(Path lib) {
        Path parent = lib.toAbsolutePath().getParent();
        if (parent == null) {
            return Optional.empty();
        }
        try {
            Path pip = parent.resolve("version.py");
            if (Files.isRegularFile(pip)) {
                Matcher m = PIP_VERSION.matcher(Files.readString(pip, StandardCharsets.UTF_8));
                return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            }
            Path download = parent.resolve("build-version");
            return Files.isRegularFile(download)
                    ? Optional.of(Files.readString(download, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new SdmException("cannot read the PyTorch version beside " + lib + ": " + e.getMessage(), e);
        }
    }
}
