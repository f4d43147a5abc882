package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.tensor.FloatTensor;

/** Copies between the pipeline's {@link FloatTensor}s and engine arrays. */
final class Tensors {
    private Tensors() {
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
