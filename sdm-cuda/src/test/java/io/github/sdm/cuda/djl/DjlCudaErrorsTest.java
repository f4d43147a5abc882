package io.github.sdm.cuda.djl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.testkit.TestData;
import org.junit.jupiter.api.Test;

/** What a user of the djl backend sees when a GPU is asked for that its natives cannot use. */
class DjlCudaErrorsTest {
    @Test
    void aGpuTheNativesCannotUseSaysWhatToInstall() {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        String device = "gpu:" + gpus;
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(TestData.tinySd(),
                LoadOptions.defaults().withBackend("djl").withDevice(device)));
        String m = e.getMessage();
        System.out.println(device + " on djl: " + m);
        assertTrue(m.contains("'" + device + "'"), m);
        if (gpus == 0) {
            assertTrue(m.contains("PYTORCH_LIBRARY_PATH") && m.contains("cu128"), m);
        } else {
            assertTrue(m.contains("only " + gpus + " GPU"), m);
        }
    }
}
