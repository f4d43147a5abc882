package io.github.sdm.unet.djl;

import io.github.sdm.core.testkit.BackendParitySuite;

/**
 * The backend-independent reference cases (the pipeline end to end, the text encoder and the VAE through the SPI) on
 * the DJL backend. The parity of every UNet block's activation needs the DJL part tree and stays in the network tests
 * ({@code UNetParityTest} and friends).
 */
class DjlParityTest extends BackendParitySuite {
    @Override
    protected String backendName() {
        return new DjlBackend().name();
    }
}
