package io.github.sdm.bench.cli;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import java.util.Arrays;
import java.util.Locale;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --weights fp32|fp16|bf16|int8} and {@code --compute fp32|fp16|bf16}: {@link LoadOptions#weightPrecision()}
 * and {@link LoadOptions#computePrecision()}, shared by the commands that load a model.
 */
final class PrecisionOptions {
    @Option(names = "--weights", paramLabel = "TYPE", defaultValue = "fp32", description = "Type the weights are held "
            + "in: fp32, fp16 (half the memory), int8 (per-channel convolution and linear weights, about a quarter; "
            + "read from each component folder's int8 file when 'sdm quantize' wrote one, else quantized at load) "
            + "or bf16 (the onnx backend's built graphs only); converted per layer for the computation (default: "
            + "${DEFAULT-VALUE}).")
    String weights;

    @Option(names = "--compute", paramLabel = "TYPE", defaultValue = "fp32", description = "Type the networks compute "
            + "in: fp32, fp16 or bf16; the model's fp32 islands (upcast_attention, the VAE's force_upcast) stay "
            + "fp32, latents always are (default: ${DEFAULT-VALUE}).")
    String compute;

    /** {@code options} with the parsed precisions. */
    LoadOptions applyTo(LoadOptions options) {
        return options.withWeightPrecision(weightPrecision()).withComputePrecision(computePrecision());
    }

    /** Whether both are the default, fp32. */
    boolean isFp32() {
        return weightPrecision() == Precision.FP32 && computePrecision() == Precision.FP32;
    }

    /** The {@code --weights} value. */
    Precision weightPrecision() {
        return parse("--weights", weights, List.of(Precision.values()));
    }

    /** The {@code --compute} value (int8 is a weight format only). */
    Precision computePrecision() {
        return parse("--compute", compute,
                Arrays.stream(Precision.values()).filter(Precision::isComputeType).toList());
    }

    private static Precision parse(String option, String value, List<Precision> allowed) {
        for (Precision p : allowed) {
            if (p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        List<String> names = allowed.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList();
        throw new InvalidRequestException(option + ": expected " + String.join(", ", names.subList(0, names.size() - 1))
                + " or " + names.get(names.size() - 1) + ", got '" + value + "'");
    }
}
