package io.github.sdm.unet.djl.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.safetensors.SafetensorsFile;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code unet-sd15} fixture UNet with its reference inputs (sample, timestep, text context), loaded once for
 * the tests of one class and freed after them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UNetFixtureCalls {
    static final Path FOLDER = UNetFixtures.folder("unet-sd15");
    final NDManager manager = NDManager.newBaseManager();
    final UNet2DConditionModel unet = UNet2DConditionModel.load(FOLDER, manager);
    final NDArray sample;
    final NDArray timestep;
    final NDArray context;

    UNetFixtureCalls() {
        try (SafetensorsFile ref = SafetensorsFile.open(FOLDER.resolve("reference.safetensors"))) {
            sample = UNetFixtures.tensor(ref, "sample", manager);
            timestep = UNetFixtures.tensor(ref, "timestep", manager);
            context = UNetFixtures.tensor(ref, "encoder_hidden_states", manager);
        }
    }

    @AfterAll
    void close() {
        unet.close();
        manager.close();
    }
}
