package io.github.sdm.unet.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Seeded random weights for a part tree, so a network of real dimensions can be timed without a
 * checkpoint. Each parameter's values depend only on the seed and its key, not on load order.
 */
public final class RandomWeights {
    private RandomWeights() {
    }

    public static void initialize(Part root, long seed, NDManager manager) {
        for (Parameter p : root.allParameters().values()) {
            long n = 1;
            for (long d : p.shape()) {
                n *= d;
            }
            ByteBuffer bytes = ByteBuffer.allocateDirect(Math.toIntExact(n * Float.BYTES))
                    .order(ByteOrder.nativeOrder());
            FloatBuffer floats = bytes.asFloatBuffer();
            switch (p.init()) {
                case ONES -> fill(floats, 1f);
                case ZEROS -> fill(floats, 0f);
                case FAN_IN_UNIFORM -> {
                    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + p.key().hashCode());
                    double bound = 1.0 / Math.sqrt(Math.max(1, p.fanIn()));
                    while (floats.hasRemaining()) {
                        floats.put((float) random.nextDouble(-bound, bound));
                    }
                }
                default -> throw new IllegalStateException("unknown init " + p.init());
            }
            p.set(manager.create(bytes, new Shape(p.shape()), DataType.FLOAT32));
        }
        Part.weightsChanged(root);
    }

    private static void fill(FloatBuffer floats, float value) {
        while (floats.hasRemaining()) {
            floats.put(value);
        }
    }
}
