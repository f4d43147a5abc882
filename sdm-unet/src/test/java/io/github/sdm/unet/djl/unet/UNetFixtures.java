package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The diffusers reference UNets copied into the test resources ({@code fixtures/unet-*}). */
public final class UNetFixtures {
    private UNetFixtures() {
    }

    public static Path root() {
        return TestData.fixture("");
    }

    public static List<Path> unetFolders() throws IOException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(p -> p.getFileName().toString().startsWith("unet-")).sorted().toList();
        }
    }

    public static Path folder(String name) {
        return root().resolve(name);
    }

    /** A tensor of the reference file as an NDArray of its stored shape. */
    public static NDArray tensor(SafetensorsFile reference, String name, NDManager manager) {
        return Fixtures.floats(reference, name, manager);
    }
}
