package io.github.sdm.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samplers users name and configure are documented in full: javadoc's {@code -Xdoclint:all} reports nothing over
 * {@code io.github.sdm.samplers}. (sdm-core's test kit runs the same check for the other modules; sdm-core depends on
 * this module, so this test cannot use it.)
 */
class PublicApiJavadocTest {

    @Test
    void publicPackageIsDoclintClean(@TempDir Path out) throws IOException {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        assertNotNull(javadoc, "no javadoc tool: the tests need a JDK, not a JRE");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> options = List.of("-Xdoclint:all", "-quiet", "-Xmaxwarns", "100000", "-Xmaxerrs", "100000",
                "-d", out.toString(), "-sourcepath", "src/main/java", "-classpath", classPath,
                "io.github.sdm.samplers");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        boolean ok = javadoc.getTask(log, null, diagnostics, null, options, null).call();
        List<String> problems = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() != Diagnostic.Kind.NOTE && d.getKind() != Diagnostic.Kind.OTHER)
                .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                        + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.toList());
        assertEquals("", String.join("\n", problems), problems.size() + " doclint problems");
        assertEquals(true, ok, "javadoc failed: " + log);
        assertEquals(true, Files.isRegularFile(out.resolve("io/github/sdm/samplers/Sampler.html")),
                "javadoc wrote no page for Sampler");
    }
}
