package io.github.sdm.core.testkit;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the tests' data lies: the models of the repository ({@code models/...}, found from the module folder
 * upwards, whichever module runs) and the reference fixtures of the running module's test resources
 * ({@code src/test/resources/fixtures/...}, found on the class path).
 */
public final class TestData {
    private TestData() {
    }

    /** The tiny seeded-random SD 1.x diffusers folder the pipeline fixtures were made with (not the default model). */
    public static Path tinySd() {
        return model("tiny-sd");
    }

    /** {@code models/<name>} of the repository. */
    public static Path model(String name) {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path folder = p.resolve("models").resolve(name);
            if (Files.isRegularFile(folder.resolve("model_index.json"))) {
                return folder;
            }
        }
        throw new IllegalStateException("model folder models/" + name + " (with model_index.json) not found in "
                + start + " or above");
    }

    /**
     * Copies the folder {@code from} (a model, to change in a test) with everything under it to {@code to}.
     *
     * @return {@code to}
     */
    public static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }

    /** The fixture at {@code relative} under {@code fixtures/} of the test class path, e.g. {@code "vae"}. */
    public static Path fixture(String relative) {
        String resource = relative.isEmpty() ? "fixtures" : "fixtures/" + relative;
        URL url = TestData.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("test fixture missing: " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
