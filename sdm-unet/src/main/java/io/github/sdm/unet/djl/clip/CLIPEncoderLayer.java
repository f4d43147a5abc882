package io.github.sdm.unet.djl.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.LayerNorm;
import io.github.sdm.unet.djl.nn.Part;

/**
 * Hugging Face {@code CLIPEncoderLayer}, pre-norm: {@code x + self_attn(layer_norm1(x), mask)}, then
 * {@code x + mlp(layer_norm2(x))}.
 */
public final class CLIPEncoderLayer extends Part {
    private final LayerNorm layerNorm1;
    private final CLIPAttention selfAttn;
    private final LayerNorm layerNorm2;
    private final CLIPMlp mlp;

    public CLIPEncoderLayer(String name, CLIPTextConfig config) {
        super(name);
        int hidden = config.hiddenSize();
        layerNorm1 = child(new LayerNorm(key("layer_norm1"), hidden, config.layerNormEps()));
        selfAttn = child(new CLIPAttention(key("self_attn"), hidden, config.numAttentionHeads()));
        layerNorm2 = child(new LayerNorm(key("layer_norm2"), hidden, config.layerNormEps()));
        mlp = child(new CLIPMlp(key("mlp"), hidden, config.intermediateSize(), config.activation()));
    }

    /** Inputs: {@code x [B, L, hidden]}, {@code mask [L, L]} (additive). Output: {@code [B, L, hidden]}. */
    @Override
    protected NDList compute(ForwardContext ctx, NDList inputs) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray attended = selfAttn.forward(ctx, layerNorm1.forward(ctx, x), mask);
        NDArray h = x.add(attended);
        return new NDList(h.add(mlp.forward(ctx, layerNorm2.forward(ctx, h))));
    }
}
