package io.github.sdm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sdm.core.testkit.JavadocLint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public API is documented in full: javadoc's {@code -Xdoclint:all} reports nothing over the packages a library
 * user reads (the API, its errors, load options, the network SPI, tensors and images), so every public method says
 * what it takes, returns and throws.
 */
class PublicApiJavadocTest {

    @Test
    void publicPackagesAreDoclintClean() {
        List<String> problems = JavadocLint.problems(Path.of("src/main/java"),
                "io.github.sdm.core", "io.github.sdm.core.error", "io.github.sdm.core.model",
                "io.github.sdm.core.spi", "io.github.sdm.core.tensor", "io.github.sdm.core.image");
        assertEquals("", String.join("\n", problems), problems.size() + " doclint problems");
    }
}
