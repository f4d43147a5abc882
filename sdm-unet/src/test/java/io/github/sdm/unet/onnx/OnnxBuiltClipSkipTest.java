package io.github.sdm.unet.onnx;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.spi.DiffusionNetworks;
import io.github.sdm.core.spi.TextConditioning;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.Fixtures;
import io.github.sdm.unet.djl.DjlBackend;
import org.junit.jupiter.api.Test;

/**
 * Clip skip on the graphs sdm builds: every skip the tiny text encoder allows gives what the DJL text encoder gives
 * (an earlier layer through the final layer norm, and the last layer's pooled output), within the network tolerance.
 */
class OnnxBuiltClipSkipTest {
    @Test
    void everyClipSkipMatchesTheDjlTextEncoder() {
        ModelLocation location = ModelLocation.folder(TestData.tinySd());
        long[][] ids = {{49406, 320, 1929, 49407, 49407}, {49406, 1611, 320, 7990, 49407}};
        try (DiffusionNetworks djl = new DjlBackend().load(location, LoadOptions.defaults());
                DiffusionNetworks onnx = new OnnxBackend().load(location, LoadOptions.defaults())) {
            int layers = djl.textEncoder().numHiddenLayers();
            for (int skip = 1; skip <= layers; skip++) {
                TextConditioning expected = djl.textEncoder().encode(ids, skip);
                TextConditioning actual = onnx.textEncoder().encode(ids, skip);
                Close.assertClose("clip skip " + skip + " hidden states", expected.hiddenStates(),
                        actual.hiddenStates(), Fixtures.NETWORK);
                Close.assertClose("clip skip " + skip + " pooled", expected.pooled(), actual.pooled(),
                        Fixtures.NETWORK);
            }
        }
    }
}
