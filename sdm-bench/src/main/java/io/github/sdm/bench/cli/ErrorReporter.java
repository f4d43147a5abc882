package io.github.sdm.bench.cli;

import io.github.sdm.core.error.SdmException;
import picocli.CommandLine;

/** sdm's own errors are user errors with a clear message: print it, not a stack trace. */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult)
            throws Exception {
        if (e instanceof SdmException) {
            commandLine.getErr().println("error: " + e.getMessage());
            return 2;
        }
        throw e;
    }
}
