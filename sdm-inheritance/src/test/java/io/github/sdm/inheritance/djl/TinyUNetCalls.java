package io.github.sdm.inheritance.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.strategy.DenoisingStrategies;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The tiny UNet with the seeded inputs of a short generation (batch 2, one text context, a descending
 * timestep per call), shared by the inheritance tests of one class and freed after them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TinyUNetCalls {
    static final ForwardContext CTX = ForwardContext.DEFAULT;
    final NDManager manager = NDManager.newBaseManager();
    final UNet2DConditionModel unet = UNet2DConditionModel.load(TinyUNet.folder(), manager);
    final NDArray context;
    final List<NDArray> samples = new ArrayList<>();
    final List<NDArray> timesteps = new ArrayList<>();

    /** {@code calls} inputs: samples seeded {@code sampleSeed + i}, timesteps {@code firstT - stepT * i}. */
    TinyUNetCalls(int calls, long contextSeed, long sampleSeed, float firstT, float stepT) {
        context = TinyUNet.context(manager, 2, contextSeed);
        for (int i = 0; i < calls; i++) {
            samples.add(TinyUNet.sample(manager, 2, sampleSeed + i));
            timesteps.add(manager.create(firstT - stepT * i));
        }
    }

    @AfterAll
    void close() {
        unet.close();
        manager.close();
    }

    DenoisingStrategy strategy(String spec, int calls) {
        return DenoisingStrategies.forSession(new DenoiserSessionOptions(calls,
                List.of(FeatureInheritance.parse(spec))), manager);
    }

    /** Call {@code call} computed in full. */
    float[] full(int call) {
        return unet.forward(samples.get(call), timesteps.get(call), context, CTX).toFloatArray();
    }
}
