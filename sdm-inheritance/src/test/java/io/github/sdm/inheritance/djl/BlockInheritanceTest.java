package io.github.sdm.inheritance.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.unet.djl.strategy.DenoisingStrategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DeepCache on the tiny UNet: exactness against the full pass and the hand-run split, memory hygiene. */
class BlockInheritanceTest extends TinyUNetCalls {
    BlockInheritanceTest() {
        super(8, 7, 100, 950f, 120f);
    }

    private float[] predict(DenoisingStrategy s, int call) {
        return s.predict(unet, samples.get(call), timesteps.get(call), context, call, CTX).toFloatArray();
    }

    @Test
    void providerIsFoundThroughTheServiceLoader() {
        try (DenoisingStrategy s = strategy("deepcache", 10)) {
            assertInstanceOf(BlockInheritance.class, s);
        }
    }

    @Test
    void everyCallAKeyStepEqualsTheFullPassBitForBit() {
        try (DenoisingStrategy s = strategy("block:2:interval=1", 5)) {
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(full(i), predict(s, i), 0f, "call " + i);
            }
        }
    }

    @Test
    void keyStepsOfAMixedScheduleEqualTheFullPassBitForBit() {
        for (int depth : new int[] {2, 12}) {
            try (DenoisingStrategy s = strategy("block:" + depth + ":keys=0,3,4,7", 8)) {
                for (int i = 0; i < 8; i++) {
                    float[] out = predict(s, i);
                    if (i == 0 || i == 3 || i == 4 || i == 7) {
                        assertArrayEquals(full(i), out, 0f, "depth " + depth + " key call " + i);
                    }
                }
            }
        }
    }

    @Test
    void reuseStepsEqualTheShallowPassOnTheCachedFeatureRunByHand() {
        int k = 3;
        CachedForward key = DeepCachePass.caching(unet, samples.get(0), timesteps.get(0), context, k, CTX, manager);
        float[] expected1 = DeepCachePass.shallow(unet, samples.get(1), timesteps.get(1), context, key.deepFeature(), k, CTX)
                .toFloatArray();
        float[] expected2 = DeepCachePass.shallow(unet, samples.get(2), timesteps.get(2), context, key.deepFeature(), k, CTX)
                .toFloatArray();
        CachedForward key3 = DeepCachePass.caching(unet, samples.get(3), timesteps.get(3), context, k, CTX, manager);
        float[] expected4 = DeepCachePass.shallow(unet, samples.get(4), timesteps.get(4), context, key3.deepFeature(), k, CTX)
                .toFloatArray();
        try (DenoisingStrategy s = strategy("block:3:interval=3", 6)) {
            assertArrayEquals(key.output().toFloatArray(), predict(s, 0), 0f);
            assertArrayEquals(expected1, predict(s, 1), 0f, "call 1 reuses call 0's deep feature");
            assertArrayEquals(expected2, predict(s, 2), 0f, "call 2 reuses call 0's deep feature");
            assertArrayEquals(key3.output().toFloatArray(), predict(s, 3), 0f);
            assertArrayEquals(expected4, predict(s, 4), 0f, "call 4 reuses call 3's deep feature");
        }
        assertFalse(java.util.Arrays.equals(full(1), expected1), "reuse must differ from the full pass");
    }

    @Test
    void batchesOfAnySizeWork() {
        NDArray context4 = TinyUNet.context(manager, 4, 9);
        NDArray a = TinyUNet.sample(manager, 4, 1);
        NDArray b = TinyUNet.sample(manager, 4, 2);
        try (DenoisingStrategy s = strategy("block:2:interval=2", 2)) {
            NDArray out0 = s.predict(unet, a, timesteps.get(0), context4, 0, CTX);
            NDArray out1 = s.predict(unet, b, timesteps.get(1), context4, 1, CTX);
            assertEquals(a.getShape(), out0.getShape());
            assertEquals(b.getShape(), out1.getShape());
            CachedForward key = DeepCachePass.caching(unet, a, timesteps.get(0), context4, 2, CTX, manager);
            assertArrayEquals(DeepCachePass.shallow(unet, b, timesteps.get(1), context4, key.deepFeature(), 2, CTX)
                    .toFloatArray(), out1.toFloatArray(), 0f);
        }
    }

    @Test
    void aReuseStepWhoseInputShapeChangedComputesInFull() {
        NDArray context1 = TinyUNet.context(manager, 1, 3);
        NDArray single = TinyUNet.sample(manager, 1, 4);
        try (DenoisingStrategy s = strategy("block:2:interval=4", 4)) {
            predict(s, 0);
            float[] out = s.predict(unet, single, timesteps.get(1), context1, 1, CTX).toFloatArray();
            assertArrayEquals(unet.forward(single, timesteps.get(1), context1, CTX).toFloatArray(), out, 0f);
        }
    }

    @Test
    void badDepthAndCallIndexAreNamed() {
        try (DenoisingStrategy s = strategy("block:13:interval=2", 4)) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> predict(s, 0));
            assertTrue(e.getMessage().contains("13") && e.getMessage().contains("12 skip connections"), e.getMessage());
        }
        try (DenoisingStrategy s = strategy("block:2:interval=2", 4)) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> predict(s, 5));
            assertTrue(e.getMessage().contains("5") && e.getMessage().contains("0..3"), e.getMessage());
        }
    }

    @Test
    void cachesAreReplacedAndFreedSoLiveArraysDoNotGrow() {
        int before = manager.getManagedArrays().size();
        int calls = 12;
        List<Integer> afterEachCycle = new ArrayList<>();
        DenoisingStrategy s = strategy("block:2:interval=3", calls);
        for (int i = 0; i < calls; i++) {
            s.predict(unet, samples.get(i % 8), timesteps.get(i % 8), context, i, CTX).close();
            if (i % 3 == 1) {
                afterEachCycle.add(manager.getManagedArrays().size());
            }
        }
        assertEquals(before + 1, afterEachCycle.get(0), "one deep feature cached");
        for (int n : afterEachCycle) {
            assertEquals(afterEachCycle.get(0), n, "live arrays per cycle: " + afterEachCycle);
        }
        s.close();
        assertEquals(before, manager.getManagedArrays().size(), "close frees the cache");
    }
}
