package io.github.sdm.unet.djl.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Strategy selection without any provider module (such as sdm-inheritance) on the classpath. */
class DenoisingStrategiesTest {

    @Test
    void noInheritanceMeansFullComputation() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            DenoisingStrategy strategy = DenoisingStrategies.forSession(new DenoiserSessionOptions(10), manager);
            assertSame(DenoisingStrategy.FULL, strategy);
            Path folder = Path.of(getClass().getResource("/fixtures/unet-sd15").toURI());
            try (UNet2DConditionModel unet = UNet2DConditionModel.load(folder, manager)) {
                var sample = manager.randomNormal(new Shape(2, 4, 8, 8));
                var t = manager.create(500f);
                var context = manager.randomNormal(new Shape(2, 77, unet.config().crossAttentionDim().get(0)));
                assertArrayEquals(unet.forward(sample, t, context, ForwardContext.DEFAULT).toFloatArray(),
                        strategy.predict(unet, sample, t, context, 0, ForwardContext.DEFAULT).toFloatArray(), 0f);
            }
            strategy.close();
        }
    }

    @Test
    void anExtensionNoProviderHandlesIsAClearError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DenoiserSessionOptions options = new DenoiserSessionOptions(10,
                    java.util.List.of(new UnhandledExtension("block:2:interval=3")));
            SdmException e = assertThrows(SdmException.class, () -> DenoisingStrategies.forSession(options, manager));
            assertTrue(e.getMessage().contains("handles the session extension 'block:2:interval=3'"), e.getMessage());
            assertTrue(e.getMessage().contains(UnhandledExtension.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains("sdm-inheritance"), e.getMessage());
            assertEquals(0, manager.getManagedArrays().size());
        }
    }
}
