package io.github.sdm.unet.weights;

import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.core.safetensors.TensorInfo;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Function;

/**
 * Named weight tensors, as a network's parts expect them: a safetensors file, or a view of one with its
 * keys renamed (a single-file LDM checkpoint mapped to diffusers names).
 */
public interface WeightSource {

    /** What to name in error messages: the file (and the view applied to it). */
    String description();

    Set<String> names();

    /** Dtype and shape of a tensor; {@code name} must be one of {@link #names()}. */
    TensorInfo info(String name);

    /** The tensor's raw little-endian bytes (ideally mapped from the file, not copied). */
    ByteBuffer bytes(String name);

    static WeightSource of(SafetensorsFile file) {
        return SafetensorsWeightSource.of(file);
    }

    /** A single file or a sharded set (see {@link SafetensorsWeights#openComponent}). */
    static WeightSource of(SafetensorsWeights weights) {
        return SafetensorsWeightSource.of(weights);
    }

    /**
     * A view with every key renamed by {@code rename} (source key to target key); keys it maps to null
     * are hidden. Two source keys mapped to one target key are an error.
     */
    default WeightSource renamed(String viewName, Function<String, String> rename) {
        return new RenamedWeightSource(this, viewName, rename);
    }

    /** The tensors whose keys start with {@code prefix}, with the prefix removed. */
    default WeightSource under(String prefix) {
        return renamed("keys under '" + prefix + "'",
                k -> k.startsWith(prefix) ? k.substring(prefix.length()) : null);
    }
}
