package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.tensor.FloatTensor;
import java.util.function.UnaryOperator;

/** Copies between the pipeline's {@link FloatTensor}s and engine arrays. */
final class Tensors {
    private Tensors() {
    }

    /**
     * One network call on a pipeline tensor: {@code network} runs on a copy of {@code input} in a sub-manager of
     * {@code parent}, which frees every array of the call once its result is copied out.
     */
    static FloatTensor call(NDManager parent, FloatTensor input, UnaryOperator<NDArray> network) {
        try (NDManager call = parent.newSubManager()) {
            return toTensor(network.apply(toArray(input, call)));
        }
    }

    static NDArray toArray(FloatTensor tensor, NDManager manager) {
        long[] shape = new long[tensor.shape().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = tensor.shape()[i];
        }
        return manager.create(tensor.data(), new Shape(shape));
    }

    static FloatTensor toTensor(NDArray array) {
        long[] shape = array.getShape().getShape();
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = Math.toIntExact(shape[i]);
        }
        return new FloatTensor(array.toFloatArray(), dims);
    }
}
