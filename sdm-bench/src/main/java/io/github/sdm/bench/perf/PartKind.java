package io.github.sdm.bench.perf;

import io.github.sdm.unet.djl.nn.Attention;
import io.github.sdm.unet.djl.nn.Conv2d;
import io.github.sdm.unet.djl.nn.FeedForward;
import io.github.sdm.unet.djl.nn.GroupNorm;
import io.github.sdm.unet.djl.nn.LayerNorm;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.unet.Downsample2D;
import io.github.sdm.unet.djl.unet.ResnetBlock2D;
import io.github.sdm.unet.djl.unet.TimestepEmbedding;
import io.github.sdm.unet.djl.unet.TimestepProjection;
import io.github.sdm.unet.djl.unet.Transformer2DModel;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.unet.Upsample2D;
import java.util.List;

/**
 * What a UNet part's own work is, for the per-operation breakdown of a call. A part's kind covers only
 * its own computation; its named children are classified on their own.
 */
public enum PartKind {
    RESNET_CONV("resnet convs (conv1, conv2, conv_shortcut)"),
    ATTENTION_PROJECTION("attention projections (to_q, to_k, to_v, to_out)"),
    ATTENTION_CORE("attention core (softmax(QK^T)V, head reshapes)"),
    FEED_FORWARD("feed-forward (GEGLU proj, gelu gate, net.2)"),
    TRANSFORMER_IO("transformer proj_in / proj_out"),
    NORM("norms (group norm, layer norm)"),
    RESAMPLE("down/up samplers (stride-2 conv, nearest 2x + conv)"),
    STEM_HEAD("conv_in, conv_out"),
    TIME_EMBEDDING("time embedding (time_proj, time_embedding, time_emb_proj)"),
    GLUE("glue: SiLU, residual adds, skip concat, layout changes, scopes");

    private final String label;

    PartKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The kind of {@code part}, given its ancestors from the root down to its parent.
     *
     * @param ancestors the parts enclosing {@code part}, outermost first (empty for the root)
     */
    public static PartKind of(Part part, List<Part> ancestors) {
        Part parent = ancestors.isEmpty() ? null : ancestors.get(ancestors.size() - 1);
        if (part instanceof Attention) {
            return ATTENTION_CORE;
        }
        if (any(ancestors, Attention.class)) {
            return ATTENTION_PROJECTION;
        }
        if (part instanceof FeedForward || any(ancestors, FeedForward.class)) {
            return FEED_FORWARD;
        }
        if (part instanceof GroupNorm || part instanceof LayerNorm) {
            return NORM;
        }
        if (part instanceof Downsample2D || part instanceof Upsample2D
                || any(ancestors, Downsample2D.class) || any(ancestors, Upsample2D.class)) {
            return RESAMPLE;
        }
        if (part instanceof TimestepProjection || part instanceof TimestepEmbedding
                || any(ancestors, TimestepEmbedding.class)) {
            return TIME_EMBEDDING;
        }
        if (parent instanceof ResnetBlock2D) {
            return part instanceof Conv2d ? RESNET_CONV : TIME_EMBEDDING; // the other child is time_emb_proj
        }
        if (parent instanceof Transformer2DModel && (part instanceof Conv2d || part instanceof Linear)) {
            return TRANSFORMER_IO;
        }
        if (parent instanceof UNet2DConditionModel && part instanceof Conv2d) {
            return STEM_HEAD;
        }
        return GLUE;
    }

    private static boolean any(List<Part> parts, Class<? extends Part> type) {
        for (Part p : parts) {
            if (type.isInstance(p)) {
                return true;
            }
        }
        return false;
    }
}
