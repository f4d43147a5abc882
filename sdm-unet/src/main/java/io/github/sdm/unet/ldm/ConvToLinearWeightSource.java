package io.github.sdm.unet.ldm;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.TensorInfo;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A view in which the selected 1x1 convolution kernels ({@code [out, in, 1, 1]}, or {@code [out, in, 1]} for
 * a 1-D conv) appear as the linear weights {@code [out, in]} they are equivalent to. The bytes are the
 * original ones: dropping trailing size-1 dimensions does not move any element.
 *
 * <p>The original LDM code computes some attentions with 1x1 convs where diffusers uses linear layers;
 * diffusers' conversion takes {@code weight[:, :, 0, 0]} for them.
 */
public final class ConvToLinearWeightSource implements WeightSource {
    private final WeightSource source;
    private final Predicate<String> linearKeys;

    /** @param linearKeys which keys (of {@code source}) are linear weights stored as 1x1 conv kernels */
    public ConvToLinearWeightSource(WeightSource source, Predicate<String> linearKeys) {
        this.source = source;
        this.linearKeys = linearKeys;
    }

    @Override
    public String description() {
        return source.description() + " (1x1 conv kernels as linear weights)";
    }

    @Override
    public Set<String> names() {
        return source.names();
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = source.info(name);
        if (!linearKeys.test(name) || info.shape().length <= 2) {
            return info;
        }
        long[] shape = info.shape();
        for (int d = 2; d < shape.length; d++) {
            if (shape[d] != 1) {
                throw new ModelFormatException(source.description() + ": tensor '" + name + "' should be a linear "
                        + "weight [out, in] or a 1x1 conv kernel [out, in, 1, 1], found " + Arrays.toString(shape));
            }
        }
        return new TensorInfo(info.name(), info.dtype(), new long[] {shape[0], shape[1]}, info.begin(), info.end());
    }

    @Override
    public ByteBuffer bytes(String name) {
        return source.bytes(name);
    }
}
