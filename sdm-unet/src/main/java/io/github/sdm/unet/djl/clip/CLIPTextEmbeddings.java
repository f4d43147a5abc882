package io.github.sdm.unet.djl.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.djl.nn.Part;

/**
 * {@code CLIPTextEmbeddings}: token embedding plus learned absolute position embedding of positions
 * {@code 0..L-1}. Parameters {@code token_embedding.weight [vocab, hidden]},
 * {@code position_embedding.weight [max_positions, hidden]}.
 */
public final class CLIPTextEmbeddings extends Part {
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;

    public CLIPTextEmbeddings(String name, int vocabSize, int maxPositions, int hidden) {
        super(name);
        // Only the scale of random weights matters (for timing); fan-in 1 gives values in [-1, 1].
        tokenEmbedding = parameter("token_embedding.weight", Parameter.Init.FAN_IN_UNIFORM, 1, vocabSize, hidden);
        positionEmbedding = parameter("position_embedding.weight", Parameter.Init.FAN_IN_UNIFORM, 1, maxPositions,
                hidden);
    }

    /** Inputs: {@code input_ids [B, L]} (int64, already range-checked). Output: {@code [B, L, hidden]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray ids = inputs.head();
        long length = ids.getShape().get(1);
        NDArray positions = ids.getManager().arange(0, (int) length, 1, DataType.INT64);
        // the tables stay in their storage type; only the looked-up rows are cast to the compute type
        NDArray tokens = ctx.toComputeType(lookup(ids, tokenEmbedding.value()));
        return new NDList(tokens.add(ctx.toComputeType(lookup(positions, positionEmbedding.value()))));
    }

    /** {@code weight[ids]} by the engine's embedding op; the result belongs to the ids' manager. */
    private static NDArray lookup(NDArray ids, NDArray weight) {
        return JniUtils.embedding((PtNDArray) ids, (PtNDArray) weight, false);
    }
}
