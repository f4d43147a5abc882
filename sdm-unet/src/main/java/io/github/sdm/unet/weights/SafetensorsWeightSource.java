package io.github.sdm.unet.weights;

import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.core.safetensors.TensorInfo;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Function;

/** The tensors of a safetensors file, or of a sharded set of them, by their stored names. */
record SafetensorsWeightSource(String description, Set<String> names, Function<String, TensorInfo> infos,
        Function<String, ByteBuffer> contents) implements WeightSource {

    static SafetensorsWeightSource of(SafetensorsFile file) {
        return new SafetensorsWeightSource(file.path().toString(), file.names(), file::info, file::bytes);
    }

    static SafetensorsWeightSource of(SafetensorsWeights weights) {
        return new SafetensorsWeightSource(weights.source().toString(), weights.names(), weights::info,
                weights::bytes);
    }

    @Override
    public TensorInfo info(String name) {
        return infos.apply(name);
    }

    @Override
    public ByteBuffer bytes(String name) {
        return contents.apply(name);
    }
}
