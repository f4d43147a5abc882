package io.github.sdm.core.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order: the currency between the pipeline, the samplers (which work
 * on the bare {@code float[]}) and the network backends. Small next to the networks' work: latents and
 * text embeddings are copied across that boundary once per call.
 */
public record FloatTensor(float[] data, int[] shape) {

    public FloatTensor {
        long n = count(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " elements, data has " + data.length);
        }
    }

    public static FloatTensor zeros(int... shape) {
        return new FloatTensor(new float[Math.toIntExact(count(shape))], shape.clone());
    }

    public static long count(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return data.length;
    }

    /** Elements per entry of the first axis. */
    public int itemSize() {
        return shape[0] == 0 ? 0 : data.length / shape[0];
    }

    /** Entries {@code [from, to)} of the first axis, copied. */
    public FloatTensor slice(int from, int to) {
        int item = itemSize();
        int[] s = shape.clone();
        s[0] = to - from;
        return new FloatTensor(Arrays.copyOfRange(data, from * item, to * item), s);
    }

    /** Concatenation along the first axis. */
    public static FloatTensor concat(FloatTensor... parts) {
        int rows = 0;
        int total = 0;
        for (FloatTensor p : parts) {
            rows += p.shape[0];
            total += p.data.length;
        }
        float[] out = new float[total];
        int offset = 0;
        for (FloatTensor p : parts) {
            System.arraycopy(p.data, 0, out, offset, p.data.length);
            offset += p.data.length;
        }
        int[] s = parts[0].shape.clone();
        s[0] = rows;
        return new FloatTensor(out, s);
    }

    /** This tensor's entries repeated {@code times} times along the first axis (each entry kept together). */
    public FloatTensor repeatEach(int times) {
        int item = itemSize();
        float[] out = new float[data.length * times];
        int o = 0;
        for (int r = 0; r < shape[0]; r++) {
            for (int t = 0; t < times; t++) {
                System.arraycopy(data, r * item, out, o, item);
                o += item;
            }
        }
        int[] s = shape.clone();
        s[0] *= times;
        return new FloatTensor(out, s);
    }

    public FloatTensor withData(float[] newData) {
        return new FloatTensor(newData, shape);
    }

    public boolean hasNonFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
