package io.github.sdm.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.Tolerance;

/**
 * The reference fixtures as DJL arrays, and the network parity tests' comparison of DJL arrays (the test kit's
 * {@link Close} with {@link #NETWORK}). The fixtures themselves are found with the kit's {@code TestData}.
 */
public final class Fixtures {
    /** Parity of one network or part against its PyTorch reference. */
    public static final Tolerance NETWORK = Tolerance.ofPeakAtLeastOne(1e-4);

    private Fixtures() {
    }

    /** A float tensor of a reference file as an NDArray of its stored shape. */
    public static NDArray floats(SafetensorsFile file, String name, NDManager manager) {
        return manager.create(file.floats(name), new Shape(file.info(name).shape()));
    }

    /** An integer tensor of a reference file as an int64 NDArray of its stored shape. */
    public static NDArray longs(SafetensorsFile file, String name, NDManager manager) {
        return manager.create(file.longs(name), new Shape(file.info(name).shape())).toType(DataType.INT64, false);
    }

    /** Equal shapes and every element within {@link #NETWORK}. */
    public static void assertClose(NDArray expected, NDArray actual, String what) {
        Close.assertClose(what, expected.getShape().getShape(), expected.toFloatArray(), actual.getShape().getShape(),
                actual.toFloatArray(), NETWORK);
    }
}
