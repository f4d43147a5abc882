package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.unet.Fixtures;
import io.github.sdm.unet.djl.nn.ForwardContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code fixtures/unet-*} folder: the output and every block's hidden state must equal diffusers
 * 0.27.2's within {@code 1e-4 * max(1, max|reference|)}.
 */
class UNetParityTest {

    @TestFactory
    List<DynamicTest> matchesDiffusersOnEveryFixture() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path folder : UNetFixtures.unetFolders()) {
            tests.add(DynamicTest.dynamicTest(folder.getFileName().toString(), () -> check(folder)));
            tests.add(DynamicTest.dynamicTest(folder.getFileName().toString() + " (attention sliced)",
                    () -> checkSliced(folder)));
        }
        assertTrue(tests.size() >= 6, "expected the unet-sd15, unet-sd2 and unet-small fixtures");
        return tests;
    }

    private static void check(Path folder) {
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel unet = UNet2DConditionModel.load(folder, manager);
                SafetensorsFile ref = SafetensorsFile.open(folder.resolve("reference.safetensors"))) {
            UNetActivations acts = unet.forwardWithActivations(UNetFixtures.tensor(ref, "sample", manager),
                    UNetFixtures.tensor(ref, "timestep", manager),
                    UNetFixtures.tensor(ref, "encoder_hidden_states", manager), ForwardContext.DEFAULT);
            assertClose(ref, "out_sample", acts.output());
            int checked = 0;
            for (String name : ref.names()) {
                if (name.startsWith("act.")) {
                    NDArray mine = acts.blockOutputs().get(name.substring(4));
                    assertTrue(mine != null, "no block output " + name);
                    assertClose(ref, name, mine);
                    checked++;
                }
            }
            assertEquals(acts.blockOutputs().size(), checked, "every block output is compared");
        }
    }

    private static void checkSliced(Path folder) {
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel unet = UNet2DConditionModel.load(folder, manager);
                SafetensorsFile ref = SafetensorsFile.open(folder.resolve("reference.safetensors"))) {
            NDArray out = unet.forward(UNetFixtures.tensor(ref, "sample", manager),
                    UNetFixtures.tensor(ref, "timestep", manager),
                    UNetFixtures.tensor(ref, "encoder_hidden_states", manager),
                    ForwardContext.DEFAULT.withAttentionSliceSize(3));
            assertClose(ref, "out_sample", out);
        }
    }

    static void assertClose(SafetensorsFile ref, String name, NDArray actual) {
        Close.assertClose(name, ref.info(name).shape(), ref.floats(name), actual.getShape().getShape(),
                actual.toFloatArray(), Fixtures.NETWORK);
    }

}
