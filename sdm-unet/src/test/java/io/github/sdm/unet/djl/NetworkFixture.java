package io.github.sdm.unet.djl;

import ai.djl.ndarray.NDManager;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.nn.Network;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A network of {@code fixtures/NAME} and the reference file beside it ({@code NAME/reference.safetensors}),
 * loaded once for the tests of one class and freed after them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class NetworkFixture<N extends Network> {
    protected final NDManager manager = NDManager.newBaseManager();
    protected final N network;
    protected final SafetensorsFile reference;

    protected NetworkFixture(String fixture, BiFunction<Path, NDManager, N> load) {
        network = load.apply(TestData.fixture(fixture), manager);
        reference = SafetensorsFile.open(TestData.fixture(fixture + "/reference.safetensors"));
    }

    @AfterAll
    void release() {
        reference.close();
        network.close();
        manager.close();
    }
}
