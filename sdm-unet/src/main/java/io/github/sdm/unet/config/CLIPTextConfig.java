package io.github.sdm.unet.config;

import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import java.nio.file.Path;

/**
 * The architecture of a Hugging Face {@code CLIPTextModel}, as its {@code config.json} states it.
 *
 * @param activation the MLP's {@code hidden_act}: {@link Activation#QUICK_GELU} for Stable Diffusion 1.x
 *     (OpenAI CLIP ViT-L/14), {@link Activation#GELU} for 2.x (OpenCLIP ViT-H/14)
 */
public record CLIPTextConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        Activation activation,
        double layerNormEps) {

    /** The MLP activations CLIP text encoders of Stable Diffusion use. */
    public enum Activation {
        /** {@code x * sigmoid(1.702 x)}. */
        QUICK_GELU("quick_gelu"),
        /** Exact (erf) GELU. */
        GELU("gelu");

        private final String configName;

        Activation(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    public CLIPTextConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || intermediateSize <= 0 || numHiddenLayers <= 0
                || numAttentionHeads <= 0 || maxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException("CLIP text config: every size must be positive: vocab " + vocabSize
                    + ", hidden " + hiddenSize + ", intermediate " + intermediateSize + ", layers "
                    + numHiddenLayers + ", heads " + numAttentionHeads + ", positions " + maxPositionEmbeddings);
        }
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("CLIP text config: hidden_size " + hiddenSize
                    + " is not divisible by num_attention_heads " + numAttentionHeads);
        }
        if (activation == null) {
            throw new IllegalArgumentException("CLIP text config: activation must not be null");
        }
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** The text encoder of Stable Diffusion 1.x: OpenAI CLIP ViT-L/14 (for timing without a checkpoint). */
    public static CLIPTextConfig stableDiffusion15() {
        return new CLIPTextConfig(49408, 768, 3072, 12, 12, 77, Activation.QUICK_GELU, 1e-5);
    }

    public static CLIPTextConfig read(Path configJson) {
        return from(ConfigFile.read(configJson));
    }

    public static CLIPTextConfig parse(String json, String source) {
        return from(ConfigFile.parse(json, source));
    }

    /** Absent fields take {@code transformers.CLIPTextConfig}'s defaults, as {@code save_pretrained} omits them. */
    public static CLIPTextConfig from(ConfigFile c) {
        String modelType = c.string("model_type", "clip_text_model");
        if (!modelType.equals("clip_text_model")) {
            // A full CLIPModel config nests the text part under "text_config": not a text encoder folder.
            throw c.invalid("model_type", "expected clip_text_model (a CLIPTextModel config)");
        }
        String act = c.string("hidden_act", "quick_gelu");
        Activation activation = null;
        for (Activation a : Activation.values()) {
            if (a.configName.equals(act)) {
                activation = a;
            }
        }
        if (activation == null) {
            throw c.invalid("hidden_act", "supported: quick_gelu, gelu");
        }
        try {
            return new CLIPTextConfig(
                    c.integer("vocab_size", 49408),
                    c.integer("hidden_size", 512),
                    c.integer("intermediate_size", 2048),
                    c.integer("num_hidden_layers", 12),
                    c.integer("num_attention_heads", 8),
                    c.integer("max_position_embeddings", 77),
                    activation,
                    c.number("layer_norm_eps", 1e-5));
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage());
        }
    }
}
