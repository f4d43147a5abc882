package io.github.sdm.core.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order: the currency between the pipeline, the samplers (which work
 * on the bare {@code float[]}) and the network backends. Small next to the networks' work: latents and
 * text embeddings are copied across that boundary once per call.
 *
 * <p>The arrays are held, not copied: do not change them while the tensor is in use. Equality compares shape and
 * elements.
 *
 * @param data the elements, row-major; its length is the product of {@code shape}
 * @param shape the size of each axis, first axis first (the batch, where there is one)
 */
public record FloatTensor(float[] data, int[] shape) {

    /**
     * Checks that the data fits the shape.
     *
     * @param data the elements, row-major
     * @param shape the size of each axis
     * @throws IllegalArgumentException if a dimension is negative or {@code data}'s length is not their product
     */
    public FloatTensor {
        long n = count(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " elements, data has " + data.length);
        }
    }

    /**
     * A tensor of zeros.
     *
     * @param shape the size of each axis (copied)
     * @return a new tensor
     * @throws IllegalArgumentException if a dimension is negative
     * @throws ArithmeticException if the element count exceeds {@code int}
     */
    public static FloatTensor zeros(int... shape) {
        return new FloatTensor(new float[Math.toIntExact(count(shape))], shape.clone());
    }

    /**
     * The number of elements of a shape.
     *
     * @param shape the size of each axis
     * @return their product (1 for no axes)
     * @throws IllegalArgumentException if a dimension is negative
     */
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

    /**
     * The size of one axis.
     *
     * @param axis the axis, 0-based
     * @return {@code shape[axis]}
     */
    public int dim(int axis) {
        return shape[axis];
    }

    /**
     * The number of elements.
     *
     * @return {@code data.length}
     */
    public int size() {
        return data.length;
    }

    /**
     * Elements per entry of the first axis.
     *
     * @return the product of all but the first dimension; 0 when the first is 0
     */
    public int itemSize() {
        return shape[0] == 0 ? 0 : data.length / shape[0];
    }

    /**
     * Entries {@code [from, to)} of the first axis, copied.
     *
     * @param from the first entry, inclusive
     * @param to the last entry, exclusive
     * @return a new tensor of {@code to - from} entries
     */
    public FloatTensor slice(int from, int to) {
        int item = itemSize();
        int[] s = shape.clone();
        s[0] = to - from;
        return new FloatTensor(Arrays.copyOfRange(data, from * item, to * item), s);
    }

    /**
     * Concatenation along the first axis.
     *
     * @param parts at least one tensor, all of the same shape but for the first axis (not checked)
     * @return a new tensor holding the parts in order
     */
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

    /**
     * This tensor's entries repeated {@code times} times along the first axis (each entry kept together).
     *
     * @param times the repetitions, at least 0
     * @return a new tensor with {@code times} times the entries
     */
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

    /**
     * A tensor of this shape over other data.
     *
     * @param newData the elements (held, not copied), as many as this tensor has
     * @return the new tensor
     * @throws IllegalArgumentException if {@code newData}'s length does not fit the shape
     */
    public FloatTensor withData(float[] newData) {
        return new FloatTensor(newData, shape);
    }

    /**
     * Whether any element is NaN or infinite.
     *
     * @return true if some element is not finite
     */
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
