package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSpec;
import io.github.sdm.unet.weights.Int8WeightFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a network's (or any part tree's) weights as it holds them to a safetensors file, one tensor at a time:
 * float32 as {@code F32}, float16 as {@code F16}, int8 values as {@code I8} with their scales as {@code F32} under the scale key of
 * {@link Int8WeightFiles}. Loading the file with the same storage type gives back the same values, bit for bit,
 * without converting anything.
 */
public final class HeldWeightsWriter {

    private HeldWeightsWriter() {
    }

    /**
     * Writes every parameter of {@code root} (which must be loaded) to {@code file}, with {@code metadata} in the
     * header; the file appears only once complete.
     */
    public static void write(Part root, Path file, Map<String, String> metadata) {
        Map<String, Parameter> parameters = root.allParameters();
        List<TensorSpec> specs = new ArrayList<>();
        for (Parameter p : parameters.values()) {
            specs.add(new TensorSpec(p.key(), dtype(p), p.shape()));
            if (p.scales() != null) {
                specs.add(new TensorSpec(Int8WeightFiles.scaleKey(p.key()), DType.F32, p.shape()[0]));
            }
        }
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, metadata, specs)) {
            for (Parameter p : parameters.values()) {
                writer.writeBytes(p.key(), littleEndian(p.value()));
                if (p.scales() != null) {
                    writer.writeBytes(Int8WeightFiles.scaleKey(p.key()), littleEndian(p.scales()));
                }
            }
        }
    }

    private static DType dtype(Parameter p) {
        DataType type = p.value().getDataType();
        return switch (type) {
            case FLOAT32 -> DType.F32;
            case FLOAT16 -> DType.F16;
            case INT8 -> DType.I8;
            default -> throw new IllegalStateException("parameter '" + p.key() + "' is held as " + type
                    + ", which no weight storage type is");
        };
    }

    /** The array's bytes, which the engine hands out in the machine's order, as safetensors stores them. */
    private static ByteBuffer littleEndian(NDArray array) {
        ByteBuffer bytes = array.toByteBuffer();
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("writing weights on a big-endian machine is not supported");
        }
        return bytes.order(ByteOrder.LITTLE_ENDIAN);
    }
}
