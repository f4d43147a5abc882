package io.github.sdm.unet.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.sdm.core.model.Precision;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Function;

/**
 * Per-call settings of a forward pass: the interceptor consulted around every named part, the attention
 * slice size, the type activations are computed in, whether the pass trains, and (inside a pass) the scoped
 * manager that owns its temporaries.
 *
 * <p>An inference pass (the default) records no gradients and may write in place into and free early the
 * activations it owns. A {@linkplain #withTraining training pass} records gradients, writes nothing in
 * place, frees nothing early ({@link Intermediates} does nothing) and reads weights directly instead of
 * through the views parts derive from them, so the engine's autograd can differentiate it.
 *
 * <p>Immutable; the {@code with...} methods return modified copies.
 */
public final class ForwardContext {

    /** Plain computation: no interception, attention chunked by its memory budget only. */
    public static final ForwardContext DEFAULT =
            new ForwardContext(PartInterceptor.NONE, 0, Precision.FP32, null, false, null, false);

    private final PartInterceptor interceptor;
    private final int attentionSliceSize;
    private final Precision computePrecision;
    /** The attention scores' type, or null for the compute type. */
    private final Precision attentionPrecision;
    private final boolean training;
    private final NDManager manager;
    /** Whether each part hands its memory-mapped weights' pages back after its call ({@link #withWeightPaging}). */
    private final boolean evictsWeightPages;

    private ForwardContext(PartInterceptor interceptor, int attentionSliceSize, Precision computePrecision,
            Precision attentionPrecision, boolean training, NDManager manager, boolean evictsWeightPages) {
        this.interceptor = interceptor;
        this.attentionSliceSize = attentionSliceSize;
        this.computePrecision = computePrecision;
        this.attentionPrecision = attentionPrecision;
        this.training = training;
        this.manager = manager;
        this.evictsWeightPages = evictsWeightPages;
    }

    public static ForwardContext of(PartInterceptor interceptor) {
        return DEFAULT.withInterceptor(interceptor);
    }

    public ForwardContext withInterceptor(PartInterceptor newInterceptor) {
        if (newInterceptor == null) {
            throw new IllegalArgumentException("interceptor must not be null (use PartInterceptor.NONE)");
        }
        return new ForwardContext(newInterceptor, attentionSliceSize, computePrecision, attentionPrecision, training,
                manager, evictsWeightPages);
    }

    /**
     * This context with {@code outer} wrapped around its current interceptor ({@code outer.andThen(current)}):
     * how a feature (inheritance, distillation taps) adds itself without displacing the caller's profiler.
     */
    public ForwardContext withOuterInterceptor(PartInterceptor outer) {
        if (outer == null) {
            throw new IllegalArgumentException("interceptor must not be null (use PartInterceptor.NONE)");
        }
        return withInterceptor(outer.andThen(interceptor));
    }

    /**
     * Bounds attention memory: the batch*heads dimension is processed this many rows at a time (0 = as many
     * as fit {@link Attention}'s chunk budget of 16 MiB per score map). Query rows are always chunked to
     * that budget, so no score map is larger unless a single slice row needs more; unchunked, one SD 1.5
     * attention map at 512x512 would be [16, 4096, 4096] floats, 1 GiB.
     */
    public ForwardContext withAttentionSliceSize(int sliceSize) {
        if (sliceSize < 0) {
            throw new IllegalArgumentException("attention slice size must be >= 0, got " + sliceSize);
        }
        return new ForwardContext(interceptor, sliceSize, computePrecision, attentionPrecision, training,
                manager, evictsWeightPages);
    }

    /**
     * The type activations are computed in ({@link Precision#FP32} or {@link Precision#FP16}). A network casts
     * its inputs to it and its outputs back to float32 (latents and embeddings cross its boundary in float32);
     * each layer computes in its input's type, with its weights converted to it where they are held in another.
     */
    public ForwardContext withComputePrecision(Precision precision) {
        if (precision == null) {
            throw new IllegalArgumentException("compute precision must not be null");
        }
        dataType(precision);
        return new ForwardContext(interceptor, attentionSliceSize, precision, attentionPrecision, training,
                manager, evictsWeightPages);
    }

    /**
     * The type attention scores and their softmax are computed in, when it differs from the compute type
     * (diffusers' {@code upcast_attention}: {@link Precision#FP32} scores under half-precision compute).
     */
    public ForwardContext withAttentionPrecision(Precision precision) {
        if (precision == null) {
            throw new IllegalArgumentException("attention precision must not be null");
        }
        dataType(precision);
        return new ForwardContext(interceptor, attentionSliceSize, computePrecision, precision, training,
                manager, evictsWeightPages);
    }

    /**
     * Weight paging: after each part's call, the pages of its weights that are views of the model files (weights
     * held as the files store them: float32 from F32 files, float16 from F16 files) leave the process's resident
     * set ({@code madvise(MADV_DONTNEED)}, Linux); the next call reads them again from the page cache. The process
     * then holds about one layer's weights at a time, the page cache (shared, reclaimable) the rest. Values and
     * results are unchanged. Weights converted at load (int8 quantized at load, float16 from F32 files) stay
     * resident; int8 read from an int8 weight file ({@code sdm quantize}) is paged like the files' own types.
     */
    public ForwardContext withWeightPaging(boolean evict) {
        return new ForwardContext(interceptor, attentionSliceSize, computePrecision, attentionPrecision, training,
                manager, evict);
    }

    /** Whether parts hand their mapped weights' pages back after each call ({@link #withWeightPaging}). */
    public boolean evictsWeightPages() {
        return evictsWeightPages;
    }

    /** The attention scores' type: the one set by {@link #withAttentionPrecision}, else the compute type. */
    public Precision attentionPrecision() {
        return attentionPrecision != null ? attentionPrecision : computePrecision;
    }

    /** The engine type of {@link #computePrecision()}. */
    public DataType computeType() {
        return dataType(computePrecision);
    }

    /** {@code x} in the compute type: {@code x} itself when it is in it already, else a new array. */
    public NDArray toComputeType(NDArray x) {
        return x.getDataType() == computeType() ? x : x.toType(computeType(), false);
    }

    /** A network's output in float32: {@code x} itself when it is float32 already, else a new array. */
    public static NDArray toFloat32(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    }

    /**
     * The engine type of a compute precision.
     *
     * @throws IllegalArgumentException for {@link Precision#INT8}, a storage type, and for {@link Precision#BF16}:
     *     DJL 0.35.1's PyTorch bridge has no bfloat16 arrays (casting to one aborts the process)
     */
    public static DataType dataType(Precision precision) {
        return switch (precision) {
            case FP32 -> DataType.FLOAT32;
            case FP16 -> DataType.FLOAT16;
            case BF16 -> throw new IllegalArgumentException("BF16: DJL 0.35.1's PyTorch bridge has no bfloat16 arrays");
            case INT8 -> throw new IllegalArgumentException("INT8 is a weight storage type, not a compute type");
        };
    }

    /**
     * A training pass ({@code true}) or an inference pass. A training pass turns the thread's gradient
     * recording on; run it inside the engine's gradient collector, on a network made
     * {@linkplain Network#makeTrainable() trainable} for gradients of its weights.
     */
    public ForwardContext withTraining(boolean train) {
        return new ForwardContext(interceptor, attentionSliceSize, computePrecision, attentionPrecision, train,
                manager, evictsWeightPages);
    }

    public ForwardContext withManager(NDManager scope) {
        return new ForwardContext(interceptor, attentionSliceSize, computePrecision, attentionPrecision, training,
                scope, evictsWeightPages);
    }

    public Precision computePrecision() {
        return computePrecision;
    }

    public PartInterceptor interceptor() {
        return interceptor;
    }

    public int attentionSliceSize() {
        return attentionSliceSize;
    }

    /** Whether this is a training pass (see {@link #withTraining}). */
    public boolean isTraining() {
        return training;
    }

    /** The manager for temporaries of the current pass, or null outside {@link #scoped}. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Runs {@code body} with every temporary in a fresh sub-manager of {@code resultManager}, freed on
     * return; the returned arrays are attached to {@code resultManager}, the inputs go back to their own
     * managers. Gradients are recorded in a training pass only.
     *
     * <p>Engine ops attach their result to the manager of their first operand, so inside a pass an
     * activation must always be the receiver of an op, never a weight.
     */
    public NDList scoped(NDManager resultManager, NDList inputs, Function<ForwardContext, NDList> body) {
        GradMode.ensure(training);
        try (NDManager scope = resultManager.newSubManager()) {
            tempAttach(scope, inputs);
            NDList out = body.apply(withManager(scope));
            for (NDArray array : out) {
                array.attach(resultManager);
            }
            return out;
        }
    }

    /**
     * Lends the inputs to {@code scope} so that results of ops on them land there; closing the scope
     * gives them back. Each array once: lent twice, it would be given back to the scope itself.
     */
    static void tempAttach(NDManager scope, NDList inputs) {
        Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (NDArray input : inputs) {
            if (seen.add(input)) {
                scope.tempAttachAll(input);
            }
        }
    }

    /** Runs one part's computation through the interceptor. */
    NDList around(Part part, NDList inputs, Function<NDList, NDList> compute) {
        return interceptor.around(part.name(), inputs, compute);
    }
}
