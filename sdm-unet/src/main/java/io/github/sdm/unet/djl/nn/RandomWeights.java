package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Seeded random weights for a part tree, so a network of real dimensions can be timed without a
 * checkpoint. Each parameter's values depend only on the seed and its key, not on load order, so they can also be
 * computed one tensor at a time ({@link #fill}), e.g. to write a synthetic checkpoint.
 */
public final class RandomWeights {
    private RandomWeights() {
    }

    public static void initialize(Part root, long seed, NDManager manager) {
        for (Parameter p : root.allParameters().values()) {
            ByteBuffer bytes = ByteBuffer.allocateDirect(Math.toIntExact(count(p) * Float.BYTES))
                    .order(ByteOrder.nativeOrder());
            fill(p, seed, bytes.asFloatBuffer());
            p.set(manager.create(bytes, new Shape(p.shape()), DataType.FLOAT32));
        }
        Part.weightsChanged(root);
    }

    /**
     * Puts {@code p}'s values for {@code seed} into {@code out}, row-major: ones, zeros, or uniform in
     * {@code ±1/sqrt(fan-in)} from a generator seeded by {@code seed} and the parameter's key.
     */
    public static void fill(Parameter p, long seed, FloatBuffer out) {
        long n = count(p);
        switch (p.init()) {
            case ONES -> repeat(out, 1f, n);
            case ZEROS -> repeat(out, 0f, n);
            case FAN_IN_UNIFORM -> {
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + p.key().hashCode());
                double bound = 1.0 / Math.sqrt(Math.max(1, p.fanIn()));
                for (long i = 0; i < n; i++) {
                    out.put((float) random.nextDouble(-bound, bound));
                }
            }
            default -> throw new IllegalStateException("unknown init " + p.init() + " of " + p.key());
        }
    }

    /** The number of values of {@code p}: the product of its shape. */
    public static long count(Parameter p) {
        long n = 1;
        for (long d : p.shape()) {
            n *= d;
        }
        return n;
    }

    private static void repeat(FloatBuffer out, float value, long count) {
        for (long i = 0; i < count; i++) {
            out.put(value);
        }
    }
}
