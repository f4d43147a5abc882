package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Layers with weights above 16 MiB run in output-channel slices and give the same values as whole. */
class WeightSlicesTest {

    @Test
    void slicesHoldAtMostTheBudgetInWholeChannelBlocks() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 1280x1920x3x3 floats = 88 MB: slices of 240 channels (16.6 MB would exceed 16 MiB at 256)
            WeightSlices slices = WeightSlices.of(manager.zeros(new Shape(1280, 1920, 3, 3)),
                    manager.zeros(new Shape(1280)));
            assertEquals(6, slices.count());
            long total = 0;
            for (int i = 0; i < slices.count(); i++) {
                long channels = slices.weight(i).getShape().get(0);
                assertEquals(channels, slices.bias(i).getShape().get(0));
                total += channels;
                assertEquals(0, i < slices.count() - 1 ? channels % 16 : 0);
                assertEquals(true, slices.weight(i).getShape().size() * Float.BYTES <= WeightSlices.MAX_BYTES);
            }
            assertEquals(1280, total);
            // small weights stay whole, without bias too
            NDArray small = manager.zeros(new Shape(640, 640, 3, 3));
            WeightSlices whole = WeightSlices.of(small, null);
            assertEquals(1, whole.count());
            assertEquals(small, whole.weight(0));
        }
    }

    @Test
    void slicedConvolutionEqualsTheWholeOne() {
        Conv2d conv = new Conv2d("c", 1280, 1280, 3, 1, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomWeights.initialize(conv, 8, manager);
            NDArray w = conv.allParameters().get("c.weight").value();
            NDArray b = conv.allParameters().get("c.bias").value();
            NDArray x = manager.randomNormal(new Shape(2, 1280, 3, 3));
            Shape unit = new Shape(1, 1);
            NDArray whole = x.getNDArrayInternal().convolution(x, w, b, unit, unit, unit, 1).singletonOrThrow();
            assertArrayEquals(whole.toFloatArray(), conv.forward(ForwardContext.DEFAULT, x).toFloatArray(), 0f);
        }
    }

    @Test
    void slicedLinearEqualsTheWholeOne() {
        Linear linear = new Linear("l", 1024, 4608, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomWeights.initialize(linear, 9, manager);
            NDArray w = linear.allParameters().get("l.weight").value();
            NDArray b = linear.allParameters().get("l.bias").value();
            long rows = Linear.CONVOLUTION_MIN_ROWS;
            NDArray x = manager.randomNormal(new Shape(1, rows, 1024));
            // the unsliced route: one 1x1 convolution over the channels-last view
            NDArray image = x.reshape(1, rows, 1, 1024).transpose(0, 3, 1, 2);
            Shape unit = new Shape(1, 1);
            NDArray whole = image.getNDArrayInternal().convolution(image, w.reshape(4608, 1024, 1, 1), b, unit,
                    new Shape(0, 0), unit, 1).singletonOrThrow().transpose(0, 2, 3, 1).reshape(1, rows, 4608);
            assertArrayEquals(whole.toFloatArray(), linear.forward(ForwardContext.DEFAULT, x).toFloatArray(), 0f);
        }
    }
}
