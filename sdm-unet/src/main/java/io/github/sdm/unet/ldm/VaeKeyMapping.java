package io.github.sdm.unet.ldm;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * VAE key names from the original LDM layout (without the {@code first_stage_model.} prefix) to diffusers'
 * {@code AutoencoderKL}, as {@code convert_ldm_vae_checkpoint} of diffusers 0.27.2 maps them:
 * {@code encoder.down.I.block.J} to {@code encoder.down_blocks.I.resnets.J}, {@code decoder.up.I} to
 * {@code decoder.up_blocks.(n-1-I)} (LDM counts decoder levels from the finest, diffusers in execution
 * order), {@code mid.block_1/2} and {@code mid.attn_1.{norm,q,k,v,proj_out}} to the mid block's resnets and
 * {@code attentions.0.{group_norm,to_q,to_k,to_v,to_out.0}}, {@code nin_shortcut} to {@code conv_shortcut},
 * {@code norm_out} to {@code conv_norm_out}.
 */
public final class VaeKeyMapping {
    private static final Pattern SAME = Pattern.compile(
            "((?:encoder|decoder)\\.conv_(?:in|out)|quant_conv|post_quant_conv)\\.(weight|bias)");
    private static final Pattern NORM_OUT = Pattern.compile("(encoder|decoder)\\.norm_out\\.(weight|bias)");
    private static final Pattern DOWN_RESNET = Pattern.compile("encoder\\.down\\.(\\d{1,4})\\.block\\.(\\d{1,4})\\.(.+)");
    private static final Pattern DOWNSAMPLE = Pattern.compile("encoder\\.down\\.(\\d{1,4})\\.downsample\\.conv\\.(weight|bias)");
    private static final Pattern UP_RESNET = Pattern.compile("decoder\\.up\\.(\\d{1,4})\\.block\\.(\\d{1,4})\\.(.+)");
    private static final Pattern UPSAMPLE = Pattern.compile("decoder\\.up\\.(\\d{1,4})\\.upsample\\.conv\\.(weight|bias)");
    private static final Pattern MID_RESNET = Pattern.compile("(encoder|decoder)\\.mid\\.block_([12])\\.(.+)");
    private static final Pattern MID_ATTENTION = Pattern.compile(
            "(encoder|decoder)\\.mid\\.attn_1\\.(norm|q|k|v|proj_out)\\.(weight|bias)");
    private static final Pattern RESNET = Pattern.compile("(norm1|conv1|norm2|conv2|nin_shortcut)\\.(weight|bias)");
    private static final Map<String, String> ATTENTION = Map.of(
            "norm", "group_norm", "q", "to_q", "k", "to_k", "v", "to_v", "proj_out", "to_out.0");

    private final int blockCount;

    /** @param blockCount the VAE's number of levels ({@code len(block_out_channels)}) */
    public VaeKeyMapping(int blockCount) {
        this.blockCount = blockCount;
    }

    /** Whether diffusers' conversion reads the key at all (it ignores e.g. the training loss' weights). */
    public static boolean isModelKey(String ldmKey) {
        return ldmKey.startsWith("encoder.") || ldmKey.startsWith("decoder.") || ldmKey.startsWith("quant_conv.")
                || ldmKey.startsWith("post_quant_conv.");
    }

    /** The diffusers key of an LDM VAE key, or null if the key has no place in this VAE. */
    public String toDiffusers(String ldmKey) {
        Matcher m = SAME.matcher(ldmKey);
        if (m.matches()) {
            return ldmKey;
        }
        if ((m = NORM_OUT.matcher(ldmKey)).matches()) {
            return m.group(1) + ".conv_norm_out." + m.group(2);
        }
        if ((m = DOWN_RESNET.matcher(ldmKey)).matches()) {
            return level(m.group(1)) < 0 ? null
                    : prefixed("encoder.down_blocks." + m.group(1) + ".resnets." + m.group(2) + ".", resnet(m.group(3)));
        }
        if ((m = DOWNSAMPLE.matcher(ldmKey)).matches()) {
            return level(m.group(1)) < 0 ? null
                    : "encoder.down_blocks." + m.group(1) + ".downsamplers.0.conv." + m.group(2);
        }
        if ((m = UP_RESNET.matcher(ldmKey)).matches()) {
            int level = level(m.group(1));
            return level < 0 ? null : prefixed("decoder.up_blocks." + (blockCount - 1 - level) + ".resnets."
                    + m.group(2) + ".", resnet(m.group(3)));
        }
        if ((m = UPSAMPLE.matcher(ldmKey)).matches()) {
            int level = level(m.group(1));
            return level < 0 ? null
                    : "decoder.up_blocks." + (blockCount - 1 - level) + ".upsamplers.0.conv." + m.group(2);
        }
        if ((m = MID_RESNET.matcher(ldmKey)).matches()) {
            int resnet = Integer.parseInt(m.group(2)) - 1;
            return prefixed(m.group(1) + ".mid_block.resnets." + resnet + ".", resnet(m.group(3)));
        }
        if ((m = MID_ATTENTION.matcher(ldmKey)).matches()) {
            return m.group(1) + ".mid_block.attentions.0." + ATTENTION.get(m.group(2)) + "." + m.group(3);
        }
        return null;
    }

    /** The level index, or -1 if this VAE has no such level. */
    private int level(String digits) {
        int level = Integer.parseInt(digits);
        return level < blockCount ? level : -1;
    }

    private static String resnet(String rest) {
        Matcher m = RESNET.matcher(rest);
        if (!m.matches()) {
            return null;
        }
        String module = m.group(1).equals("nin_shortcut") ? "conv_shortcut" : m.group(1);
        return module + "." + m.group(2);
    }

    private static String prefixed(String prefix, String tail) {
        return tail == null ? null : prefix + tail;
    }

    /** The attention projections, which LDM stores as 1x1 conv kernels and diffusers as linear weights. */
    static boolean isAttentionProjection(String diffusersKey) {
        return diffusersKey.contains("mid_block.attentions.0.to_") && diffusersKey.endsWith(".weight");
    }
}
