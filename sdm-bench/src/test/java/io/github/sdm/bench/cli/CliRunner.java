package io.github.sdm.bench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the {@code sdm} command line in-process with its output and error captured through picocli's writers, so
 * {@code System.out} and {@code System.err} stay untouched (tests may run side by side).
 */
final class CliRunner {
    private CliRunner() {
    }

    /** The exit code and everything the command wrote. */
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SdmCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
