package io.github.sdm.bench.cli;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Latents in a safetensors file as one float32 tensor named {@code latents}, as the command line reads and writes them. */
final class LatentsFile {
    static final String TENSOR = "latents";

    private LatentsFile() {
    }

    static void write(Path path, FloatTensor latents) {
        long[] shape = Arrays.stream(latents.shape()).asLongStream().toArray();
        SafetensorsWriter.write(path, List.of(TensorSource.ofFloats(TENSOR, DType.F32, latents.data(), shape)));
    }

    /** Reads {@code path}; {@code option} names the option that gave it in the error when the tensor is missing. */
    static FloatTensor read(String option, Path path) {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            if (!file.contains(TENSOR)) {
                throw new InvalidRequestException(option + ": " + path + " has no tensor named '" + TENSOR
                        + "' (found " + file.names() + ")");
            }
            return new FloatTensor(file.floats(TENSOR), file.info(TENSOR).intShape());
        }
    }
}
