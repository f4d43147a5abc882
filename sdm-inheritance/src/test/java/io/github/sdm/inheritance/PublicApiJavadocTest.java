package io.github.sdm.inheritance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sdm.core.testkit.JavadocLint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The settings a user builds ({@code FeatureInheritance}, its presets, schedules and part selectors) are documented
 * in full: javadoc's {@code -Xdoclint:all} reports nothing over {@code io.github.sdm.inheritance}.
 */
class PublicApiJavadocTest {

    @Test
    void publicPackageIsDoclintClean() {
        List<String> problems = JavadocLint.problems(Path.of("src/main/java"), "io.github.sdm.inheritance");
        assertEquals("", String.join("\n", problems), problems.size() + " doclint problems");
    }
}
