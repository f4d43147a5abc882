package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;

/**
 * diffusers' {@code Timesteps} ({@code get_timestep_embedding}, max period 10000): frequencies
 * {@code exp(-ln(10000) * i / (half - freq_shift))}, then {@code [sin(t f), cos(t f)]}, or
 * {@code [cos, sin]} with {@code flip_sin_to_cos}. Computed in float32 in the same order as diffusers, so
 * fractional timesteps embed identically.
 */
public final class TimestepProjection extends Part {
    private final int dim;
    private final boolean flipSinToCos;
    private final double freqShift;

    public TimestepProjection(String name, int dim, boolean flipSinToCos, double freqShift) {
        super(name);
        this.dim = dim;
        this.flipSinToCos = flipSinToCos;
        this.freqShift = freqShift;
    }

    /** Inputs: {@code timesteps [B]} (any numeric type). Output: {@code [B, dim]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray t = inputs.head().toType(DataType.FLOAT32, false);
        long batch = t.getShape().get(0);
        int half = dim / 2;
        NDManager m = ctx.manager() != null ? ctx.manager() : t.getManager();
        NDArray freqs = m.arange(0f, (float) half, 1f, DataType.FLOAT32)
                .mul((float) -Math.log(10000))
                .div((float) (half - freqShift))
                .exp();
        NDArray angles = t.reshape(batch, 1).mul(freqs.reshape(1, half));
        NDArray sin = angles.sin();
        NDArray cos = angles.cos();
        NDArray emb = flipSinToCos ? NDArrays.concat(new NDList(cos, sin), 1) : NDArrays.concat(new NDList(sin, cos), 1);
        if (dim % 2 == 1) {
            emb = NDArrays.concat(new NDList(emb, m.zeros(new ai.djl.ndarray.types.Shape(batch, 1))), 1);
        }
        return new NDList(emb);
    }
}
