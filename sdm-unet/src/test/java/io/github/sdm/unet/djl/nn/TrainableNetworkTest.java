package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Trainable weight copies, and the weight views parts derive from them after an optimizer step. */
class TrainableNetworkTest {

    /** A network of one convolution whose weight (18.9 MB) runs in two slices in inference passes. */
    private static final class SlicedConvolution extends Network {
        private final Conv2d conv = child(new Conv2d("conv", 512, 1024, 3, 1, 1));

        static SlicedConvolution random(NDManager manager) {
            return withRandomWeights(new SlicedConvolution(), 3, manager);
        }

        @Override
        protected NDList compute(ForwardContext ctx, NDList inputs) {
            return new NDList(conv.forward(ctx, inputs.head()));
        }
    }

    @Test
    void weightSlicesFollowAnOptimizerStep() {
        try (NDManager manager = NDManager.newBaseManager(); SlicedConvolution net = SlicedConvolution.random(manager)) {
            assertEquals(2, WeightSlices.of(net.conv.parameters().get("conv.weight").value(), null).count());
            NDArray x = manager.randomNormal(new Shape(1, 512, 4, 4));
            float[] before = net.forward(ForwardContext.DEFAULT, x).toFloatArray();

            net.makeTrainable();
            assertTrue(net.isTrainable());
            assertArrayEquals(before, net.forward(ForwardContext.DEFAULT, x).toFloatArray(), 0f, "copies");
            net.applyGradients((key, weight, gradient) -> weight.addi(0.01f));

            float[] sliced = net.forward(ForwardContext.DEFAULT, x).toFloatArray();
            float[] whole = net.forward(ForwardContext.DEFAULT.withTraining(true), x).toFloatArray();
            assertFalse(Arrays.equals(before, sliced), "the step changed the output");
            // the slices' outputs, joined, equal the whole weight's: the slices show the updated weight
            assertArrayEquals(whole, sliced, 0f);
        }
    }

    @Test
    void trainableCopiesCollectGradientsAndLeaveTheLoadedArrays() {
        try (NDManager manager = NDManager.newBaseManager(); SlicedConvolution net = SlicedConvolution.random(manager)) {
            Parameter weight = net.conv.parameters().get("conv.weight");
            NDArray loaded = weight.value();
            assertFalse(weight.isTrainable());
            net.makeTrainable();
            assertTrue(weight.isTrainable());
            assertTrue(loaded.isReleased(), "the loaded (possibly mapped) array is freed");
            NDArray copy = weight.value();
            net.makeTrainable();
            assertSame(copy, weight.value(), "a second call keeps the copies");
        }
    }
}
