package io.github.sdm.assembly.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sdm.assembly.train.ModelConfigs;
import io.github.sdm.core.testkit.GarbageCollection;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Network;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The gradients of both stages' networks are the same whether or not a garbage collection runs between the
 * forward and the backward pass. While the constants the autograd graph saves were Java buffers, a
 * collection there freed them and the gradients came out wrong, infinite or NaN: the first steps of a fresh
 * JVM, when collections are frequent, now and then trained on such gradients.
 */
class TrainingGradientsTest {
    private static final ModelConfigs TINY = TinyModel.configs();
    private static final ForwardContext TRAINING = ForwardContext.DEFAULT.withTraining(true);

    @Test
    void unetAndTextEncoder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.random(TINY.unetConfig(), 3, manager);
            CLIPTextModel text = CLIPTextModel.random(TINY.textEncoderConfig(), 4, manager);
            TrainedNetworks networks = new TrainedNetworks(Map.of(ComponentFolders.UNET, unet,
                    ComponentFolders.TEXT_ENCODER, text));
            long[] ids = new long[2 * 77];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (i * 7919L) % 49408;
            }
            Function<NDManager, NDArray> loss = scratch -> {
                NDArray sample = wave(scratch, new Shape(2, 4, 8, 8));
                NDArray t = scratch.create(new float[] {10, 700});
                NDArray context = text.encode(scratch.create(ids, new Shape(2, 77)), TRAINING);
                return unet.forward(sample, t, context, TRAINING).sub(sample.cos()).square().mean();
            };
            assertCollectionChangesNoGradient(networks, loss, manager);
        }
    }

    @Test
    void vae() {
        try (NDManager manager = NDManager.newBaseManager();
                AutoencoderKL vae = AutoencoderKL.random(TINY.vaeConfig(), 5, manager)) {
            TrainedNetworks networks = new TrainedNetworks(Map.of(ComponentFolders.VAE, vae));
            Function<NDManager, NDArray> loss = scratch -> {
                NDArray images = wave(scratch, new Shape(2, 3, 16, 16));
                NDArray noise = wave(scratch, new Shape(2, 4, 8, 8)).cos();
                NDArray reconstruction = vae.decode(vae.encode(images, TRAINING).sample(noise), TRAINING);
                return reconstruction.sub(images).square().mean();
            };
            assertCollectionChangesNoGradient(networks, loss, manager);
        }
    }

    /** Smooth values in [-1, 1] of the given shape. */
    private static NDArray wave(NDManager manager, Shape shape) {
        return manager.arange(0f, shape.size(), 1f).div(97f).sin().reshape(shape);
    }

    private static void assertCollectionChangesNoGradient(TrainedNetworks networks, Function<NDManager, NDArray> loss,
            NDManager manager) {
        Map<String, float[]> direct = gradients(networks, loss, manager, false);
        Map<String, float[]> collected = gradients(networks, loss, manager, true);
        assertEquals(direct.keySet(), collected.keySet());
        direct.forEach((key, g) -> assertArrayEquals(g, collected.get(key), 0f, key));
        assertTrue(direct.values().stream().anyMatch(g -> g[0] != 0f), "gradients were computed");
    }

    /** Every parameter's gradient of one pass, optionally with a collection between forward and backward. */
    private static Map<String, float[]> gradients(TrainedNetworks networks, Function<NDManager, NDArray> loss,
            NDManager manager, boolean collect) {
        try (NDManager scratch = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray value = loss.apply(scratch);
            if (collect) {
                GarbageCollection.collectAndClean();
            }
            collector.backward(value);
        }
        Map<String, float[]> gradients = new LinkedHashMap<>();
        networks.parameters().forEach((key, p) -> gradients.put(key, p.value().getGradient().toFloatArray()));
        networks.networks().values().forEach(Network::zeroGradients);
        return gradients;
    }
}
