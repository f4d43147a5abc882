package io.github.sdm.core.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * Runs the JDK's javadoc in process with {@code -Xdoclint:all} over a module's public packages and returns every
 * warning and error, so a test can keep the public API's documentation complete. The sources come from the
 * module's {@code src/main/java} (tests run in the module folder); the types they use from the test run's class path.
 */
public final class JavadocLint {

    private JavadocLint() {
    }

    /**
     * Every doclint warning and error over {@code packages}, each as {@code file:line: kind: message}; empty when
     * the documentation is clean.
     *
     * @param sourceRoot the folder holding the packages' sources, e.g. {@code src/main/java}
     * @param packages the fully qualified names of the packages to document
     * @return the problems javadoc reported, in its order
     */
    public static List<String> problems(Path sourceRoot, String... packages) {
        if (!Files.isDirectory(sourceRoot)) {
            throw new IllegalStateException(sourceRoot.toAbsolutePath() + " is not a folder: run from the module folder");
        }
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        if (javadoc == null) {
            throw new IllegalStateException("no javadoc tool: the tests need a JDK, not a JRE");
        }
        Path out;
        try {
            out = Files.createTempDirectory("javadoc-lint");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> options = new ArrayList<>(List.of(
                "-Xdoclint:all", "-quiet", "-Xmaxwarns", "100000", "-Xmaxerrs", "100000",
                "-d", out.toString(), "-sourcepath", sourceRoot.toString(), "-classpath", classPath));
        options.addAll(List.of(packages));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        boolean ok;
        try {
            ok = javadoc.getTask(log, null, diagnostics, null, options, null).call();
        } finally {
            deleteTree(out);
        }
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                    || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING) {
                String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
                problems.add(where + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT));
            }
        }
        if (!ok && problems.isEmpty()) {
            problems.add("javadoc failed: " + log);
        }
        return problems;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
