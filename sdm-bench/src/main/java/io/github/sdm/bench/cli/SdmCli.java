package io.github.sdm.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sdm} command line: generate images, benchmark, make synthetic models, train. */
@Command(name = "sdm", mixinStandardHelpOptions = true, version = "sdm 0.1.0",
        description = "Stable Diffusion inference on the JVM.",
        subcommands = {GenerateCommand.class, BenchCommand.class, MakeModelCommand.class, QuantizeCommand.class,
                TrainCommand.class, AssembleCommand.class, DistillCommand.class,
                CommandLine.HelpCommand.class})
public final class SdmCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line on the standard streams and returns its exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line, ready to execute; every command writes to its {@code getOut()} and {@code getErr()}. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new SdmCli());
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        // a tool's own options (--size 64) are its arguments, not sdm's
        CommandLine tool = commandLine.getSubcommands().get("bench").getSubcommands().get("tool");
        tool.setUnmatchedOptionsArePositionalParams(true);
        return commandLine;
    }
}
