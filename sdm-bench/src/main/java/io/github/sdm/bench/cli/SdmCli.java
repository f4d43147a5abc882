package io.github.sdm.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sdm} command line: generate images, benchmark, make synthetic models. */
@Command(name = "sdm", mixinStandardHelpOptions = true, version = "sdm 0.1.0",
        description = "Stable Diffusion inference on the JVM.",
        subcommands = {GenerateCommand.class, BenchCommand.class, MakeModelCommand.class,
                CommandLine.HelpCommand.class})
public final class SdmCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new SdmCli());
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        return commandLine.execute(args);
    }
}
