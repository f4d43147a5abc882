package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDList;
import io.github.sdm.unet.djl.nn.Activations;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Part;

/** diffusers' {@code TimestepEmbedding}: {@code linear_1}, SiLU, {@code linear_2}. */
public final class TimestepEmbedding extends Part {
    private final Linear linear1;
    private final Linear linear2;

    public TimestepEmbedding(String name, int inChannels, int embeddingDim) {
        super(name);
        linear1 = child(new Linear(key("linear_1"), inChannels, embeddingDim, true));
        linear2 = child(new Linear(key("linear_2"), embeddingDim, embeddingDim, true));
    }

    /** Inputs: {@code sinusoidal [B, in]}. Output: {@code [B, embeddingDim]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        return new NDList(linear2.forward(ctx, Activations.silu(linear1.forward(ctx, inputs.head()))));
    }
}
