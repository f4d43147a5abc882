package io.github.sdm.assembly.djl.train;

import io.github.sdm.assembly.train.ModelConfigs;

/** Configs of a tiny model for tests: 16x16 pictures, a 2x VAE (8x8x4 latents), a two-block UNet. */
final class TinyModel {
    private TinyModel() {
    }

    static ModelConfigs configs() {
        return new ModelConfigs("""
                {"_class_name": "UNet2DConditionModel", "in_channels": 4, "out_channels": 4,
                 "block_out_channels": [16, 32], "layers_per_block": 1,
                 "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
                 "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"],
                 "attention_head_dim": 2, "cross_attention_dim": 16, "norm_num_groups": 8, "sample_size": 8}
                """, """
                {"_class_name": "AutoencoderKL", "in_channels": 3, "out_channels": 3, "latent_channels": 4,
                 "block_out_channels": [8, 16], "layers_per_block": 1, "norm_num_groups": 4,
                 "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D"],
                 "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D"], "scaling_factor": 1.0}
                """, """
                {"architectures": ["CLIPTextModel"], "model_type": "clip_text_model", "hidden_size": 16,
                 "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
                 "max_position_embeddings": 77, "vocab_size": 49408, "hidden_act": "quick_gelu",
                 "layer_norm_eps": 1e-05, "bos_token_id": 49406, "eos_token_id": 49407, "pad_token_id": 1,
                 "projection_dim": 16}
                """);
    }
}
