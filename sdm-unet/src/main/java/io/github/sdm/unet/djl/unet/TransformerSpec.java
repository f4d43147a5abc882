package io.github.sdm.unet.djl.unet;

/**
 * What the {@link Transformer2DModel}s of one block share: {@code heads} attention heads (the head size is
 * the block's channels divided by them), {@code layers} transformer blocks each, the text embedding width,
 * the group norm's groups and whether {@code proj_in}/{@code proj_out} are linear layers.
 */
public record TransformerSpec(int heads, int layers, int crossAttentionDim, int groups, boolean linearProjection) {
    public TransformerSpec {
        if (heads <= 0 || layers <= 0 || crossAttentionDim <= 0 || groups <= 0) {
            throw new IllegalArgumentException("transformer spec needs positive values, got heads " + heads
                    + ", layers " + layers + ", cross_attention_dim " + crossAttentionDim + ", groups " + groups);
        }
    }

    /** The transformer of a block with {@code channels} channels, named {@code name}. */
    Transformer2DModel build(String name, int channels) {
        return new Transformer2DModel(name, channels, heads, channels / heads, layers, crossAttentionDim, groups,
                linearProjection);
    }
}
