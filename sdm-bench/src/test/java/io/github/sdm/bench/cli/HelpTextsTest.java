package io.github.sdm.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Every help text of every command is a valid format string. picocli passes each line through
 * {@code String.format} when it reads it; a bare {@code %} (as in "30% of the calls") makes it print a warning to
 * the console and show the line unformatted, which no other test notices. picocli's warnings go to
 * {@code System.err}, so the test reads every help line with that stream captured.
 */
class HelpTextsTest {

    @Test
    void everyHelpLineIsAValidFormatString() {
        CommandLine root = SdmCli.commandLine();
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        PrintStream console = System.err;
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            readEveryHelpLine(root);
        } finally {
            System.setErr(console);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8),
                "picocli could not format these help lines (escape % as %%)");
    }

    private static void readEveryHelpLine(CommandLine command) {
        UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        usage.description();
        usage.header();
        usage.footer();
        for (ArgSpec arg : command.getCommandSpec().args()) {
            arg.description();
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            readEveryHelpLine(sub);
        }
    }
}
