package io.github.sdm.bench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sdm bench}: where every performance claim is measured. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: 'ceiling' (matmul throughput), 'unet' (UNet calls, FLOPs, breakdown).",
        subcommands = {CeilingCommand.class, UNetBenchCommand.class})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
