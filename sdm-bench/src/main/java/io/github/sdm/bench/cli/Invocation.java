package io.github.sdm.bench.cli;

import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/** The command line a report was made with, as it would be typed again. */
final class Invocation {
    private Invocation() {
    }

    /** {@code sdm bench unet --sizes 256,512}: the root command's name and every argument given. */
    static String of(CommandSpec spec) {
        CommandSpec root = spec.root();
        List<String> args = root.commandLine().getParseResult() == null ? List.of()
                : root.commandLine().getParseResult().originalArgs();
        return (root.name() + " " + args.stream().map(Invocation::quote).collect(Collectors.joining(" "))).trim();
    }

    static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_=.,/:+@%".indexOf(c) >= 0)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
