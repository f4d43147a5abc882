package io.github.sdm.bench.cli;

import io.github.sdm.bench.djl.AbHarness;
import io.github.sdm.bench.djl.InheritanceMeasurement;
import io.github.sdm.bench.inheritance.InheritanceOnBackends;
import io.github.sdm.bench.djl.VaeDecodeMeasurement;
import io.github.sdm.bench.djl.LoraMeasurement;
import io.github.sdm.bench.djl.routes.AttentionAsConvBench;
import io.github.sdm.bench.djl.routes.AttentionCoreBench;
import io.github.sdm.bench.djl.routes.ConvLayoutBench;
import io.github.sdm.bench.djl.routes.ConvSplitBench;
import io.github.sdm.bench.djl.routes.HalfKernelsBench;
import io.github.sdm.bench.djl.routes.HeadProductBench;
import io.github.sdm.bench.djl.routes.LinearAsConvBench;
import io.github.sdm.bench.onnx.BuiltVsExportedUNet;
import io.github.sdm.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sdm bench tool NAME ARGS...}: the measurement tools of {@code io.github.sdm.bench.perf}, each with its own
 * arguments, printing to standard output (see {@code docs/performance-notes.md}).
 */
@Command(name = "tool", mixinStandardHelpOptions = true,
        description = {"Run a measurement tool with its own arguments (docs/performance-notes.md):",
            "  ab A_CLASSES B_CLASSES key=value...",
            "      two builds of sdm-unet, call by call in one JVM",
            "  inheritance speed|deviation [--size N --calls N --rounds N --specs a;b]",
            "      feature inheritance at the UNet level",
            "  inheritance-backends MODEL [size=256 calls=10 rounds=1 backends=djl,onnx specs=a;b]",
            "      feature inheritance's speed-up on each backend (djl, the onnx built graphs), in one run",
            "  vae-decode vae=kl|taesd size=N calls=N",
            "      one VAE decode (SD 1.5 KL or TAESD, random weights): time per call, peak RSS",
            "  lora [--rank 64 --size 32 --calls 3]",
            "      a synthetic LoRA on SD 1.5's attention: merge time, memory, per-generation call cost",
            "  linear-as-conv | attention-core | head-product | attention-as-conv |",
            "  conv-split | conv-layout  key=value...",
            "      kernel-route micro-benchmarks",
            "  half-kernels [rounds=3]",
            "      float32 against float16 kernels; widening and dequantizing a weight",
            "  built-vs-export MODEL EXPORT [size=256 runs=4]",
            "      the UNet graph sdm builds against a PyTorch export of the same weights, on ONNX Runtime"})
final class ToolCommand implements Callable<Integer> {
    /** A tool's {@code main}. */
    interface Tool {
        void run(String[] args) throws Exception;
    }

    static final Map<String, Tool> TOOLS;

    static {
        Map<String, Tool> tools = new LinkedHashMap<>();
        tools.put("ab", AbHarness::main);
        tools.put("inheritance", InheritanceMeasurement::main);
        tools.put("inheritance-backends", InheritanceOnBackends::main);
        tools.put("vae-decode", VaeDecodeMeasurement::main);
        tools.put("lora", LoraMeasurement::main);
        tools.put("linear-as-conv", LinearAsConvBench::main);
        tools.put("attention-core", AttentionCoreBench::main);
        tools.put("head-product", HeadProductBench::main);
        tools.put("attention-as-conv", AttentionAsConvBench::main);
        tools.put("conv-split", ConvSplitBench::main);
        tools.put("conv-layout", ConvLayoutBench::main);
        tools.put("half-kernels", HalfKernelsBench::main);
        tools.put("built-vs-export", BuiltVsExportedUNet::main);
        TOOLS = Collections.unmodifiableMap(tools);
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "The tool: ${COMPLETION-CANDIDATES}.",
            completionCandidates = ToolNames.class)
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The tool's arguments, passed as given.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Tool tool = TOOLS.get(name);
        if (tool == null) {
            throw new InvalidRequestException("unknown tool '" + name + "'; known tools: " + String.join(", ",
                    TOOLS.keySet()));
        }
        try {
            tool.run(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) { // a malformed argument, named in the message
            throw new InvalidRequestException("tool " + name + ": " + e.getMessage());
        }
        return 0;
    }

    /** The tool names, for the help and shell completion. */
    static final class ToolNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return TOOLS.keySet().iterator();
        }
    }
}
