package io.github.sdm.unet.djl.nn;

import static io.github.sdm.core.testkit.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.testkit.Tolerance;
import org.junit.jupiter.api.Test;

/** The convolution route of {@link Linear} computes the plain product, up to float rounding. */
class LinearTest {

    @Test
    void convolutionRouteEqualsThePlainProduct() {
        Linear linear = new Linear("l", 48, 40, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomWeights.initialize(linear, 5, manager);
            manager.getEngine().setRandomSeed(5);
            NDArray w = linear.allParameters().get("l.weight").value();
            NDArray b = linear.allParameters().get("l.bias").value();
            // contiguous, transposed (non-contiguous) and 2-D inputs, all above the row threshold
            NDArray[] inputs = {manager.randomNormal(new Shape(2, 300, 48)),
                manager.randomNormal(new Shape(2, 48, 300)).transpose(0, 2, 1),
                manager.randomNormal(new Shape(Linear.CONVOLUTION_MIN_ROWS, 48))};
            for (NDArray x : inputs) {
                long[] inputShape = x.getShape().getShape().clone();
                NDArray expected = x.matMul(w.transpose()).add(b);
                NDArray actual = linear.forward(ForwardContext.DEFAULT, x);
                // the input is left as it was (DJL's Shape hands out its own array)
                assertArrayEquals(inputShape, x.getShape().getShape());
                assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
                assertClose(x.getShape().toString(), expected.toFloatArray(), actual.toFloatArray(),
                        Tolerance.ofPeak(1e-6));
            }
        }
    }

    @Test
    void withoutBiasAndBelowTheRowThreshold() {
        Linear linear = new Linear("l", 8, 3, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomWeights.initialize(linear, 6, manager);
            NDArray w = linear.allParameters().get("l.weight").value();
            for (long rows : new long[] {1, Linear.CONVOLUTION_MIN_ROWS - 1, 4 * Linear.CONVOLUTION_MIN_ROWS}) {
                NDArray x = manager.randomUniform(-1, 1, new Shape(rows, 8));
                assertClose(rows + " rows", x.matMul(w.transpose()).toFloatArray(),
                        linear.forward(ForwardContext.DEFAULT, x).toFloatArray(), Tolerance.ofPeak(1e-6));
            }
        }
    }

}
