package io.github.sdm.unet.djl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sdm.core.testkit.GarbageCollection;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients do not depend on a garbage collection between the forward and the backward pass: the
 * constants a training pass's products save for backward are engine-owned, not Java buffers that a
 * collection frees (which gave the first training steps of a JVM wrong or NaN gradients).
 */
class EngineScalarsTest {
    @Test
    void productByANumber() {
        assertSameGradients(x -> EngineScalars.times(x, 0.125f), new Shape(2, 3));
    }

    @Test
    void quotientByANumber() {
        assertSameGradients(x -> EngineScalars.dividedBy(x, 3f), new Shape(2, 3));
    }

    @Test
    void quickGelu() {
        assertSameGradients(Activations::quickGelu, new Shape(2, 3));
    }

    @Test
    void attentionScalesItsQueries() {
        Attention attn = new Attention("attn1", 8, 8, 2, 4, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomWeights.initialize(attn, 7, manager);
            assertSameGradients(x -> attn.forward(ForwardContext.DEFAULT.withTraining(true), x), new Shape(1, 5, 8));
        }
    }

    @Test
    void theFactorIsExact() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(16));
            assertArrayEquals(x.mul(0.1f).toFloatArray(), EngineScalars.times(x, 0.1f).toFloatArray(), 0f);
            assertArrayEquals(x.div(3f).toFloatArray(), EngineScalars.dividedBy(x, 3f).toFloatArray(), 0f);
        }
    }

    /** The input's gradient of {@code sum(f(x))}, backward right after forward and after a collection. */
    private static void assertSameGradients(Function<NDArray, NDArray> f, Shape shape) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 7 - 3) * 0.25f;
        }
        float[] direct = gradient(f, values, shape, false);
        float[] collected = gradient(f, values, shape, true);
        assertArrayEquals(direct, collected, 0f);
    }

    private static float[] gradient(Function<NDArray, NDArray> f, float[] values, Shape shape, boolean collect) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(values, shape);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray sum = f.apply(x).sum();
                if (collect) {
                    GarbageCollection.collectAndClean();
                }
                collector.backward(sum);
            }
            return x.getGradient().toFloatArray();
        }
    }
}
