package io.github.sdm.unet.nn;

import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.TensorInfo;
import java.nio.ByteBuffer;
import java.util.Set;

/** The tensors of one safetensors file, by their stored names. */
final class SafetensorsWeightSource implements WeightSource {
    private final SafetensorsFile file;

    SafetensorsWeightSource(SafetensorsFile file) {
        this.file = file;
    }

    @Override
    public String description() {
        return file.path().toString();
    }

    @Override
    public Set<String> names() {
        return file.names();
    }

    @Override
    public TensorInfo info(String name) {
        return file.info(name);
    }

    @Override
    public ByteBuffer bytes(String name) {
        return file.bytes(name);
    }
}
