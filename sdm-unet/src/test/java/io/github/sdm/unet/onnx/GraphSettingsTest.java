package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GraphSettingsTest {

    @Test
    void onlyAPassiveOpenMpWaitPolicyStopsOnnxRuntimeSpinning() {
        assertEquals("0", GraphSettings.allowSpinning("PASSIVE"));
        assertEquals("0", GraphSettings.allowSpinning(" passive "));
        assertEquals("1", GraphSettings.allowSpinning("ACTIVE"));
        assertEquals("1", GraphSettings.allowSpinning(null));
        assertEquals("1", GraphSettings.allowSpinning(""));
    }
}
