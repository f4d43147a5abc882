package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ConfigFile;
import org.junit.jupiter.api.Test;

/** The config field of a UNet chooses its layers; two test providers are registered in the test resources. */
class UNetLayerProviderTest {
    static final UNetLayerFactory FIRST_LAYERS = new UNetLayerFactory() {
    };

    public static final class First implements UNetLayerProvider {
        @Override
        public String configKey() {
            return "sdm_test_first";
        }

        @Override
        public UNetLayerFactory layers(ConfigFile config) {
            return FIRST_LAYERS;
        }
    }

    public static final class Second implements UNetLayerProvider {
        @Override
        public String configKey() {
            return "sdm_test_second";
        }

        @Override
        public UNetLayerFactory layers(ConfigFile config) {
            return new UNetLayerFactory() {
            };
        }
    }

    @Test
    void aConfigWithoutProviderFieldsGetsTheDefaultLayers() {
        assertSame(UNetLayerFactory.DEFAULT, UNetLayerProvider.forConfig(ConfigFile.parse("{\"in_channels\": 4}", "c")));
        assertSame(UNetLayerFactory.DEFAULT,
                UNetLayerProvider.forConfig(ConfigFile.parse("{\"sdm_test_first\": null}", "c")));
    }

    @Test
    void theProviderWhoseFieldTheConfigHoldsBuildsTheLayers() {
        assertSame(FIRST_LAYERS, UNetLayerProvider.forConfig(ConfigFile.parse("{\"sdm_test_first\": {}}", "c")));
    }

    @Test
    void twoProviderFieldsInOneConfigAreAnErrorNamingBoth() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> UNetLayerProvider.forConfig(
                ConfigFile.parse("{\"sdm_test_first\": {}, \"sdm_test_second\": {}}", "unet/config.json")));
        assertTrue(e.getMessage().contains("unet/config.json") && e.getMessage().contains("sdm_test_first")
                && e.getMessage().contains("sdm_test_second"), e.getMessage());
    }
}
