package io.github.sdm.bench.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.TinyUNet;
import io.github.sdm.bench.perf.Flops;
import io.github.sdm.bench.perf.PartProfile;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The FLOP count of one call of {@link TinyUNet} (batch 2, latents 8x8, 3 text tokens), part by part,
 * against a count made by hand from the architecture: every part with operations and nothing else.
 */
class FlopCountTest {
    private static final long B = 2;

    @Test
    void everyPartOfATinyUNetCallMatchesTheHandCount() {
        Map<String, Flops> expected = handCount();
        try (NDManager manager = NDManager.newBaseManager();
             UNet2DConditionModel unet = UNet2DConditionModel.random(UNetConfig.parse(TinyUNet.CONFIG, "tiny"), 3,
                     manager)) {
            PartProfiler profiler = new PartProfiler(unet);
            NDArray sample = manager.randomNormal(new Shape(B, 4, 8, 8));
            NDArray text = manager.randomNormal(new Shape(B, 3, 12));
            unet.forward(sample, manager.create(new float[] {500f}), text, ForwardContext.of(profiler));

            Map<String, Flops> counted = new TreeMap<>();
            for (PartProfile.PartTotals p : profiler.profile().parts()) {
                if (p.flops().total() > 0) {
                    counted.put(p.name(), p.flops());
                }
            }
            assertEquals(new TreeMap<>(expected), counted);
            Flops sum = expected.values().stream().reduce(Flops.ZERO, Flops::plus);
            assertEquals(sum, profiler.profile().totalFlops());
        }
    }

    private static Map<String, Flops> handCount() {
        Map<String, Flops> f = new LinkedHashMap<>();
        // time embedding: sinusoid 8 -> 32 -> 32, two rows
        f.put("time_embedding.linear_1", mm(2 * 8 * 32 * B));
        f.put("time_embedding.linear_2", mm(2 * 32 * 32 * B));
        f.put("conv_in", mm(2 * 8 * 4 * 9 * B * 64));
        // level 0, 8x8
        resnet(f, "down_blocks.0.resnets.0", 8, 8, 64);
        transformer(f, "down_blocks.0.attentions.0", 8, 64);
        f.put("down_blocks.0.downsamplers.0.conv", mm(2 * 8 * 8 * 9 * B * 16));
        // level 1, 4x4
        resnet(f, "down_blocks.1.resnets.0", 8, 16, 16);
        resnet(f, "mid_block.resnets.0", 16, 16, 16);
        transformer(f, "mid_block.attentions.0", 16, 16);
        resnet(f, "mid_block.resnets.1", 16, 16, 16);
        // up block 0 consumes skips of 16 and 8 channels, then upsamples to 8x8
        resnet(f, "up_blocks.0.resnets.0", 16 + 16, 16, 16);
        resnet(f, "up_blocks.0.resnets.1", 16 + 8, 16, 16);
        f.put("up_blocks.0.upsamplers.0.conv", mm(2 * 16 * 16 * 9 * B * 64));
        // up block 1 consumes two skips of 8 channels
        resnet(f, "up_blocks.1.resnets.0", 16 + 8, 8, 64);
        transformer(f, "up_blocks.1.attentions.0", 8, 64);
        resnet(f, "up_blocks.1.resnets.1", 8 + 8, 8, 64);
        transformer(f, "up_blocks.1.attentions.1", 8, 64);
        f.put("conv_norm_out", ew(7 * B * 8 * 64));
        f.put("conv_out", mm(2 * 4 * 8 * 9 * B * 64));
        return f;
    }

    /** ResnetBlock2D from {@code in} to {@code out} channels over {@code pixels} positions. */
    private static void resnet(Map<String, Flops> f, String p, long in, long out, long pixels) {
        f.put(p + ".norm1", ew(7 * B * in * pixels));
        f.put(p + ".conv1", mm(2 * out * in * 9 * B * pixels));
        f.put(p + ".time_emb_proj", mm(2 * 32 * out * B));
        f.put(p + ".norm2", ew(7 * B * out * pixels));
        f.put(p + ".conv2", mm(2 * out * out * 9 * B * pixels));
        if (in != out) {
            f.put(p + ".conv_shortcut", mm(2 * out * in * B * pixels));
        }
    }

    /** Transformer2DModel of {@code c} channels over {@code n} tokens: 2 heads of c/2, 3 text tokens of width 12. */
    private static void transformer(Map<String, Flops> f, String p, long c, long n) {
        long heads = 2;
        long d = c / heads;
        long m = 3;
        long rows = B * n;
        f.put(p + ".norm", ew(7 * B * c * n));
        f.put(p + ".proj_in", mm(2 * c * c * rows));
        String t = p + ".transformer_blocks.0";
        for (String norm : new String[] {".norm1", ".norm2", ".norm3"}) {
            f.put(t + norm, ew(7 * rows * c));
        }
        for (String proj : new String[] {".to_q", ".to_k", ".to_v", ".to_out.0"}) {
            f.put(t + ".attn1" + proj, mm(2 * c * c * rows));
        }
        f.put(t + ".attn1", new Flops(2 * 2 * B * heads * n * n * d, 5 * B * heads * n * n));
        f.put(t + ".attn2.to_q", mm(2 * c * c * rows));
        f.put(t + ".attn2.to_k", mm(2 * 12 * c * B * m));
        f.put(t + ".attn2.to_v", mm(2 * 12 * c * B * m));
        f.put(t + ".attn2.to_out.0", mm(2 * c * c * rows));
        f.put(t + ".attn2", new Flops(2 * 2 * B * heads * n * m * d, 5 * B * heads * n * m));
        f.put(t + ".ff.net.0.proj", mm(2 * c * (2 * 4 * c) * rows));
        f.put(t + ".ff.net.2", mm(2 * (4 * c) * c * rows));
        f.put(p + ".proj_out", mm(2 * c * c * rows));
    }

    private static Flops mm(long n) {
        return Flops.matmul(n);
    }

    private static Flops ew(long n) {
        return Flops.elementwise(n);
    }
}
