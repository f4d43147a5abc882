package io.github.sdm.bench;

/** A two-level UNet small enough to run in milliseconds and to count by hand. */
public final class TinyUNet {
    /**
     * Channels 8 and 16, one layer per block, cross-attention at level 0 only, 2 heads everywhere
     * ({@code attention_head_dim} is read as the head count), text width 12, 4 norm groups.
     */
    public static final String CONFIG = """
            {"_class_name": "UNet2DConditionModel", "in_channels": 4, "out_channels": 4,
             "block_out_channels": [8, 16], "layers_per_block": 1,
             "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
             "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"],
             "attention_head_dim": 2, "cross_attention_dim": 12, "norm_num_groups": 4, "sample_size": 8}""";

    private TinyUNet() {
    }
}
