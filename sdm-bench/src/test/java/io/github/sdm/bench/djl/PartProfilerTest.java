package io.github.sdm.bench.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.TinyUNet;
import io.github.sdm.bench.perf.Flops;
import io.github.sdm.bench.perf.PartProfile;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Linear;
import io.github.sdm.unet.djl.nn.RandomWeights;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartProfilerTest {

    @Test
    void selfTimesAddUpToTheCallsAndEveryPartRunsOncePerCall() {
        try (NDManager manager = NDManager.newBaseManager();
             UNet2DConditionModel unet = UNet2DConditionModel.random(UNetConfig.parse(TinyUNet.CONFIG, "tiny"), 1,
                     manager)) {
            UNetCallBench.Result result = UNetCallBench.run(unet, new UNetCallBench.Settings(64, 2, 1, 3, 0, 7),
                    manager);
            PartProfile profile = result.profile();
            // Self time is wall time minus the intercepted children's, so the sum telescopes exactly.
            long selfSum = profile.parts().stream().mapToLong(PartProfile.PartTotals::selfNanos).sum();
            assertEquals(profile.outermostNanos(), selfSum);
            assertEquals(profile.part("").inclusiveNanos(), profile.outermostNanos());
            long kindSum = profile.byKind().values().stream().mapToLong(PartProfile.KindTotals::selfNanos).sum();
            assertEquals(selfSum, kindSum);
            // the same for CPU time: it telescopes to the outermost calls' CPU time
            long selfCpuSum = profile.parts().stream().mapToLong(PartProfile.PartTotals::selfCpuNanos).sum();
            assertEquals(profile.outermostCpuNanos(), selfCpuSum);
            assertEquals(selfCpuSum,
                    profile.byKind().values().stream().mapToLong(PartProfile.KindTotals::selfCpuNanos).sum());
            assertTrue(profile.outermostCpuNanos() > 0, "three UNet calls use CPU time");

            Set<String> ran = new HashSet<>();
            for (PartProfile.PartTotals p : profile.parts()) {
                assertEquals(3, p.calls(), p.name());
                ran.add(p.name());
            }
            assertEquals(new HashSet<>(unet.partNames()), ran, "every part of the tree runs in a full call");
            assertEquals(3, result.calls().count());
            assertEquals(profile.totalFlops().matmul() / 3, result.flopsPerCall().matmul());
        }
    }

    @Test
    void resetStartsOverAndForeignPartsAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear layer = new Linear("proj", 3, 2, true);
            RandomWeights.initialize(layer, 1, manager);
            PartProfiler profiler = new PartProfiler(layer);
            ForwardContext ctx = ForwardContext.of(profiler);
            NDArray x = manager.ones(new Shape(5, 3));
            layer.forward(ctx, x);
            assertEquals(Flops.matmul(2 * 3 * 2 * 5), profiler.profile().part("proj").flops());
            profiler.reset();
            assertTrue(profiler.profile().parts().isEmpty());
            assertEquals(0, profiler.profile().outermostNanos());

            Linear other = new Linear("other", 3, 2, true);
            RandomWeights.initialize(other, 1, manager);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.forward(ctx, x));
            assertTrue(e.getMessage().contains("'other'"), e.getMessage());
        }
    }
}
