package io.github.sdm.unet.ldm;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * UNet key names from the original LDM layout ({@code input_blocks.N.M...}, {@code middle_block.N...},
 * {@code output_blocks.N.M...}, without the {@code model.diffusion_model.} prefix) to diffusers'
 * ({@code down_blocks.B.resnets.L...}), as {@code convert_ldm_unet_checkpoint} of diffusers 0.27.2 maps them.
 *
 * <p>LDM input block {@code i >= 1} is layer {@code (i-1) % (layers+1)} of down block {@code (i-1) / (layers+1)},
 * where the last layer of a block is its downsampler ({@code .0.op}); output block {@code i} is layer
 * {@code i % (layers+1)} of up block {@code i / (layers+1)}, with sub-module 0 the resnet, 1 the attention
 * (if the block has attentions) and the next one the upsampler ({@code .conv}) on a block's last layer.
 * Transformer keys inside attentions are the same in both layouts.
 */
public final class UNetKeyMapping {
    private static final Pattern FLAT = Pattern.compile("(input_blocks|output_blocks)\\.(\\d{1,4})\\.(\\d{1,4})\\.(.+)");
    private static final Pattern MIDDLE = Pattern.compile("middle_block\\.(\\d{1,4})\\.(.+)");
    private static final Pattern LEAF = Pattern.compile("(weight|bias)");
    private static final Map<String, String> TOP_LEVEL = Map.of(
            "time_embed.0.", "time_embedding.linear_1.",
            "time_embed.2.", "time_embedding.linear_2.",
            "input_blocks.0.0.", "conv_in.",
            "out.0.", "conv_norm_out.",
            "out.2.", "conv_out.");
    private static final Map<String, String> RESNET = Map.of(
            "in_layers.0", "norm1",
            "in_layers.2", "conv1",
            "out_layers.0", "norm2",
            "out_layers.3", "conv2",
            "emb_layers.1", "time_emb_proj",
            "skip_connection", "conv_shortcut");

    private final LdmUNetLayout layout;

    public UNetKeyMapping(LdmUNetLayout layout) {
        this.layout = layout;
    }

    /** The diffusers key of an LDM UNet key, or null if the key has no place in this layout. */
    public String toDiffusers(String ldmKey) {
        for (Map.Entry<String, String> e : TOP_LEVEL.entrySet()) {
            if (ldmKey.startsWith(e.getKey()) && LEAF.matcher(ldmKey.substring(e.getKey().length())).matches()) {
                return e.getValue() + ldmKey.substring(e.getKey().length());
            }
        }
        Matcher m = MIDDLE.matcher(ldmKey);
        if (m.matches()) {
            return middle(Integer.parseInt(m.group(1)), m.group(2));
        }
        m = FLAT.matcher(ldmKey);
        if (!m.matches()) {
            return null;
        }
        int index = Integer.parseInt(m.group(2));
        int sub = Integer.parseInt(m.group(3));
        return m.group(1).equals("input_blocks") ? input(index, sub, m.group(4)) : output(index, sub, m.group(4));
    }

    private String middle(int sub, String rest) {
        return switch (sub) {
            case 0 -> prefixed("mid_block.resnets.0.", resnet(rest));
            case 1 -> "mid_block.attentions.0." + rest;
            case 2 -> prefixed("mid_block.resnets.1.", resnet(rest));
            default -> null;
        };
    }

    private String input(int index, int sub, String rest) {
        int perBlock = layout.layersPerBlock() + 1;
        if (index < 1) {
            return null;
        }
        int block = (index - 1) / perBlock;
        int layer = (index - 1) % perBlock;
        if (block >= layout.blockCount()) {
            return null;
        }
        String prefix = "down_blocks." + block + ".";
        if (layer == layout.layersPerBlock()) {
            boolean hasDownsampler = block < layout.blockCount() - 1;
            return hasDownsampler && sub == 0 ? prefixed(prefix + "downsamplers.0.conv.", leaf(rest, "op")) : null;
        }
        if (sub == 0) {
            return prefixed(prefix + "resnets." + layer + ".", resnet(rest));
        }
        if (sub == 1 && layout.downBlockAttentions().get(block)) {
            return prefix + "attentions." + layer + "." + rest;
        }
        return null;
    }

    private String output(int index, int sub, String rest) {
        int perBlock = layout.layersPerBlock() + 1;
        int block = index / perBlock;
        int layer = index % perBlock;
        if (block >= layout.blockCount()) {
            return null;
        }
        String prefix = "up_blocks." + block + ".";
        boolean attention = layout.upBlockAttentions().get(block);
        if (sub == 0) {
            return prefixed(prefix + "resnets." + layer + ".", resnet(rest));
        }
        if (sub == 1 && attention) {
            return prefix + "attentions." + layer + "." + rest;
        }
        boolean hasUpsampler = layer == layout.layersPerBlock() && block < layout.blockCount() - 1;
        if (hasUpsampler && sub == (attention ? 2 : 1)) {
            return prefixed(prefix + "upsamplers.0.conv.", leaf(rest, "conv"));
        }
        return null;
    }

    /** {@code weight} or {@code bias} of {@code module}, or null. */
    private static String leaf(String rest, String module) {
        if (!rest.startsWith(module + ".")) {
            return null;
        }
        String leaf = rest.substring(module.length() + 1);
        return LEAF.matcher(leaf).matches() ? leaf : null;
    }

    private static String resnet(String rest) {
        for (Map.Entry<String, String> e : RESNET.entrySet()) {
            String leaf = leaf(rest, e.getKey());
            if (leaf != null) {
                return e.getValue() + "." + leaf;
            }
        }
        return null;
    }

    private static String prefixed(String prefix, String tail) {
        return tail == null ? null : prefix + tail;
    }

    /** diffusers takes {@code [:, :, 0, 0]} of attention projections stored as 1x1 convs. */
    static boolean isAttentionProjection(String diffusersKey) {
        return diffusersKey.contains("attentions.") && diffusersKey.contains(".to_") && diffusersKey.endsWith(".weight");
    }
}
