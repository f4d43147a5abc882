package io.github.sdm.unet.djl.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.model.LoraAdapter;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.lora.LoraFile;
import io.github.sdm.unet.lora.LoraLayer;
import io.github.sdm.unet.lora.LoraNetwork;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-generation route at the level of one UNet call: it reaches every adapted part (no part's computation
 * bypasses its interceptor), and adds what merging adds (up to float rounding), LoCon 3x3 convolutions included.
 */
class LoraInterceptorTest {
    private static final Path KOHYA = TestData.fixture("tiny-lora/kohya.safetensors");
    private NDManager manager;
    private CLIPTextModel clip;
    private UNet2DConditionModel unet;
    private NDArray sample;
    private NDArray timestep;
    private NDArray context;

    @BeforeEach
    void load() {
        manager = NDManager.newBaseManager("PyTorch");
        clip = CLIPTextModel.load(TestData.tinySd().resolve("text_encoder"), manager);
        unet = UNet2DConditionModel.load(TestData.tinySd().resolve("unet"), manager);
        manager.getEngine().setRandomSeed(3);
        sample = manager.randomNormal(new Shape(2, unet.config().inChannels(), 8, 8));
        timestep = manager.create(400f);
        context = manager.randomNormal(new Shape(2, 77, unet.config().crossAttentionDim().get(0)));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void everyAdaptedPartIsCalledThroughItsInterceptor() {
        Set<String> called = new HashSet<>();
        PartInterceptor recording = (name, inputs, compute) -> {
            called.add(name);
            return compute.apply(inputs);
        };
        unet.forward(sample, timestep, context, ForwardContext.of(recording)).close();
        List<LoraLayer> layers = LoraFile.read(KOHYA, LoraParts.targets(clip, unet), false).layers();
        int unetLayers = 0;
        for (LoraLayer layer : layers) {
            if (layer.network() == LoraNetwork.UNET) {
                assertTrue(called.contains(layer.part()), layer.part() + " is not called through its interceptor");
                unetLayers++;
            }
        }
        assertTrue(unetLayers > 0);
    }

    @Test
    void perGenerationAddsWhatMergingAdds() {
        List<LoraAdapter> adapters = List.of(new LoraAdapter(KOHYA, 0.8));
        float[] plain = unet.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray();
        float[] perGeneration;
        try (LoraInterceptor interceptor = LoraApplication.perGeneration(adapters, LoraParts.targets(clip, unet),
                LoraNetwork.UNET, unet, manager).orElseThrow()) {
            perGeneration = unet.forward(sample, timestep, context,
                    ForwardContext.DEFAULT.withOuterInterceptor(interceptor)).toFloatArray();
        }
        List<MergedLora> merged = LoraApplication.merge(adapters, clip, unet);
        float[] mergedOut = unet.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray();
        merged.forEach(MergedLora::unmerge);

        double change = 0;
        double worst = 0;
        for (int i = 0; i < plain.length; i++) {
            change = Math.max(change, Math.abs(mergedOut[i] - plain[i]));
            worst = Math.max(worst, Math.abs(mergedOut[i] - perGeneration[i]));
        }
        assertTrue(change > 1e-2, "the adapter changes the prediction, by " + change);
        assertTrue(worst <= 1e-4 * Math.max(1, change), "per generation differs from merged by " + worst);
        assertArrayEquals(plain, unet.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray(),
                "unmerged again");
    }
}
