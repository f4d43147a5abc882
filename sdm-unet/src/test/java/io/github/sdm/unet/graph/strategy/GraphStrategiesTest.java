package io.github.sdm.unet.graph.strategy;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.spi.DenoiserSessionOptions;
import io.github.sdm.core.spi.SessionExtension;
import io.github.sdm.unet.djl.strategy.UnhandledExtension;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strategy selection on built graphs, with no provider on sdm-unet's test classpath. */
class GraphStrategiesTest {

    @Test
    void noExtensionIsTheWholeGraphEveryCall() {
        assertSame(GraphStrategy.FULL, GraphStrategies.forSession(new DenoiserSessionOptions(4), null));
    }

    @Test
    void anExtensionNoProviderHandlesIsRefusedNamingItAndTheModule() {
        SessionExtension extension = new UnhandledExtension("block:2:interval=3");
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> GraphStrategies.forSession(new DenoiserSessionOptions(4, List.of(extension)), null));
        assertTrue(e.getMessage().contains("onnx backend cannot run the session extension 'block:2:interval=3'")
                && e.getMessage().contains("sdm-inheritance"), e.getMessage());
    }
}
