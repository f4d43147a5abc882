package io.github.sdm.inheritance.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.testkit.TestData;
import java.nio.file.Path;

/** The embedded tiny SD model's UNet ({@code models/tiny-sd/unet} of the repository) and inputs for it. */
final class TinyUNet {
    private TinyUNet() {
    }

    /** {@code models/tiny-sd/unet}. */
    static Path folder() {
        return TestData.tinySd().resolve("unet");
    }

    /** Seeded inputs of one call: latents {@code [batch, 4, 8, 8]} and text {@code [batch, 77, 32]}. */
    static NDArray sample(NDManager manager, int batch, long seed) {
        manager.getEngine().setRandomSeed((int) seed);
        return manager.randomNormal(new Shape(batch, 4, 8, 8));
    }

    static NDArray context(NDManager manager, int batch, long seed) {
        manager.getEngine().setRandomSeed((int) seed);
        return manager.randomNormal(new Shape(batch, 77, 32));
    }
}
