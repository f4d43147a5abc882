package io.github.sdm.unet.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.safetensors.SafetensorsFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The diffusers reference UNets copied into the test resources ({@code fixtures/unet-*}). */
final class UNetFixtures {
    private UNetFixtures() {
    }

    static Path root() {
        try {
            return Path.of(UNetFixtures.class.getResource("/fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> unetFolders() throws IOException {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(p -> p.getFileName().toString().startsWith("unet-")).sorted().toList();
        }
    }

    static Path folder(String name) {
        return root().resolve(name);
    }

    /** A tensor of the reference file as an NDArray of its stored shape. */
    static NDArray tensor(SafetensorsFile reference, String name, NDManager manager) {
        return manager.create(reference.floats(name), new Shape(reference.info(name).shape()));
    }
}
