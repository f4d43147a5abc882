package io.github.sdm.bench.model;

import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.nn.RandomWeights;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seeded random weights of a part tree written to a safetensors file one tensor at a time, so a
 * full-size checkpoint (3.4 GB for SD 1.5's UNet in F32) is written while holding a single tensor.
 *
 * <p>The values are those {@link RandomWeights#initialize} gives the same tree for the same seed (both use
 * {@link RandomWeights#fill}), so a network loaded from the file computes what the in-memory random network
 * computes. The tree needs no weights: a network's bare constructor (e.g. {@code new UNet2DConditionModel(config)})
 * is enough.
 */
public final class SyntheticWeights {
    private SyntheticWeights() {
    }

    /** Writes every parameter of {@code root} to {@code file}, stored as {@code dtype} (F32, F16 or BF16). */
    public static void write(Part root, long seed, DType dtype, Path file) {
        SafetensorsWriter.write(file, Map.of("format", "pt"), sources(root, seed, dtype));
    }

    /** One lazily computed tensor per parameter, in the tree's order. */
    public static List<TensorSource> sources(Part root, long seed, DType dtype) {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("synthetic weights are stored as F32, F16 or BF16, not " + dtype);
        }
        List<TensorSource> out = new ArrayList<>();
        for (Parameter p : root.allParameters().values()) {
            out.add(TensorSource.ofFloats(p.key(), dtype, () -> values(p, seed), p.shape()));
        }
        return out;
    }

    /** The values {@link RandomWeights} gives {@code p} for {@code seed}, in row-major order. */
    public static float[] values(Parameter p, long seed) {
        float[] v = new float[Math.toIntExact(RandomWeights.count(p))];
        RandomWeights.fill(p, seed, FloatBuffer.wrap(v));
        return v;
    }
}
