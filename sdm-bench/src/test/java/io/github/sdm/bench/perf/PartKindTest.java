package io.github.sdm.bench.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.TinyUNet;
import io.github.sdm.bench.djl.PartProfiler;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartKindTest {

    @Test
    void everyKindOfPartOfAUNetIsClassifiedByWhatItComputes() {
        Map<String, PartKind> expected = new LinkedHashMap<>();
        expected.put("", PartKind.GLUE);
        expected.put("time_proj", PartKind.TIME_EMBEDDING);
        expected.put("time_embedding", PartKind.TIME_EMBEDDING);
        expected.put("time_embedding.linear_1", PartKind.TIME_EMBEDDING);
        expected.put("conv_in", PartKind.STEM_HEAD);
        expected.put("down_blocks.0", PartKind.GLUE);
        expected.put("down_blocks.0.resnets.0", PartKind.GLUE);
        expected.put("down_blocks.0.resnets.0.norm1", PartKind.NORM);
        expected.put("down_blocks.0.resnets.0.conv1", PartKind.RESNET_CONV);
        expected.put("down_blocks.0.resnets.0.time_emb_proj", PartKind.TIME_EMBEDDING);
        expected.put("down_blocks.1.resnets.0.conv_shortcut", PartKind.RESNET_CONV);
        expected.put("down_blocks.0.attentions.0", PartKind.GLUE);
        expected.put("down_blocks.0.attentions.0.norm", PartKind.NORM);
        expected.put("down_blocks.0.attentions.0.proj_in", PartKind.TRANSFORMER_IO);
        expected.put("down_blocks.0.attentions.0.proj_out", PartKind.TRANSFORMER_IO);
        expected.put("down_blocks.0.attentions.0.transformer_blocks.0", PartKind.GLUE);
        expected.put("down_blocks.0.attentions.0.transformer_blocks.0.norm1", PartKind.NORM);
        expected.put("down_blocks.0.attentions.0.transformer_blocks.0.attn1", PartKind.ATTENTION_CORE);
        expected.put("down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q", PartKind.ATTENTION_PROJECTION);
        expected.put("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_out.0", PartKind.ATTENTION_PROJECTION);
        expected.put("down_blocks.0.attentions.0.transformer_blocks.0.ff", PartKind.FEED_FORWARD);
        expected.put("down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0", PartKind.FEED_FORWARD);
        expected.put("down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0.proj", PartKind.FEED_FORWARD);
        expected.put("down_blocks.0.attentions.0.transformer_blocks.0.ff.net.2", PartKind.FEED_FORWARD);
        expected.put("down_blocks.0.downsamplers.0", PartKind.RESAMPLE);
        expected.put("down_blocks.0.downsamplers.0.conv", PartKind.RESAMPLE);
        expected.put("mid_block", PartKind.GLUE);
        expected.put("up_blocks.0.upsamplers.0", PartKind.RESAMPLE);
        expected.put("up_blocks.0.upsamplers.0.conv", PartKind.RESAMPLE);
        expected.put("conv_norm_out", PartKind.NORM);
        expected.put("conv_out", PartKind.STEM_HEAD);

        try (NDManager manager = NDManager.newBaseManager();
             UNet2DConditionModel unet = UNet2DConditionModel.random(UNetConfig.parse(TinyUNet.CONFIG, "tiny"), 1,
                     manager)) {
            PartProfiler profiler = new PartProfiler(unet);
            NDArray sample = manager.randomNormal(new Shape(1, 4, 8, 8));
            unet.forward(sample, manager.create(new float[] {10f}), manager.randomNormal(new Shape(1, 3, 12)),
                    ForwardContext.of(profiler));
            PartProfile profile = profiler.profile();
            expected.forEach((name, kind) -> assertEquals(kind, profile.part(name).kind(), name));
        }
    }
}
