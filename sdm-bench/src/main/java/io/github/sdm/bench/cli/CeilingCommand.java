package io.github.sdm.bench.cli;

import io.github.sdm.bench.djl.MatmulCeiling;
import io.github.sdm.bench.djl.UNetReport;
import io.github.sdm.bench.report.MachineInfo;
import io.github.sdm.core.error.InvalidRequestException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sdm bench ceiling}: float32 matrix-product throughput, the practical ceiling of a UNet call. */
@Command(name = "ceiling", mixinStandardHelpOptions = true,
        description = "Measure float32 matrix-product throughput through DJL/PyTorch (GFLOP/s): the ceiling a "
                + "UNet call's convolutions and linear layers can reach on this machine.")
final class CeilingCommand implements Callable<Integer> {

    @Option(names = "--warmup", defaultValue = "2", description = "Unmeasured products per shape (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "5", description = "Measured products per shape (default: ${DEFAULT-VALUE}).")
    int runs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (runs < 1 || warmup < 0) {
            throw new InvalidRequestException("--runs must be >= 1 and --warmup >= 0, got " + runs + " and " + warmup);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("## Matmul ceiling");
        out.println();
        out.println("Command: `" + Invocation.of(spec) + "`  ");
        out.println("Machine: " + MachineInfo.current().describe());
        out.println();
        List<MatmulCeiling.Measurement> measured = MatmulCeiling.measureDefaultShapes(warmup, runs);
        out.print(UNetReport.ceilingTable(measured).render());
        out.println();
        out.printf(Locale.ROOT, "Ceiling (best median): %.1f GFLOP/s%n", UNetReport.ceilingGflops(measured));
        out.flush();
        return 0;
    }

}
