package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.strategy.UnhandledExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The DJL backend behind the public API: concurrency and device errors. */
class DjlBackendTest {
    static final Path MODEL = TestData.tinySd();

    @Test
    void concurrentGenerationsGiveTheSameNumbersAsOneAtATime() throws Exception {
        try (StableDiffusion sd = StableDiffusion.load(MODEL)) {
            assertConcurrentRunsEqualOneAtATime(sd);
        }
    }

    /** Weights converted per call (int8, float16 with float16 compute): each call converts its own copies. */
    @Test
    void concurrentGenerationsOnReducedPrecisionGiveTheSameNumbersAsOneAtATime() throws Exception {
        try (StableDiffusion sd = StableDiffusion.load(MODEL, LoadOptions.defaults().withWeightPrecision(Precision.INT8))) {
            assertConcurrentRunsEqualOneAtATime(sd);
        }
        try (StableDiffusion sd = StableDiffusion.load(MODEL, LoadOptions.defaults()
                .withWeightPrecision(Precision.FP16).withComputePrecision(Precision.FP16))) {
            assertConcurrentRunsEqualOneAtATime(sd);
        }
    }

    private static void assertConcurrentRunsEqualOneAtATime(StableDiffusion sd) throws Exception {
        float[] alone = sd.txt2img("a boat").steps(5).sampler("dpmpp_2m").seed(21).generate().finalLatents().data();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<GenerationResult>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(pool.submit(() -> sd.txt2img("a boat").steps(5).sampler("dpmpp_2m").seed(21).generate()));
            }
            for (Future<GenerationResult> run : runs) {
                assertArrayEquals(alone, run.get().finalLatents().data());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSingleFileLdmCheckpointGeneratesWhatTheFolderGenerates() {
        Path checkpoint = Path.of("src/test/resources/fixtures/ldm-single-file/tiny-sd15.safetensors");
        float[] fromFolder;
        try (StableDiffusion sd = StableDiffusion.load(MODEL)) {
            fromFolder = sd.txt2img("a red apple").negativePrompt("blurry").steps(4).sampler("ddim").seed(3)
                    .generate().decoded().data();
        }
        try (StableDiffusion sd = StableDiffusion.load(ModelLocation.singleFile(checkpoint, MODEL),
                LoadOptions.defaults())) {
            float[] fromFile = sd.txt2img("a red apple").negativePrompt("blurry").steps(4).sampler("ddim").seed(3)
                    .generate().decoded().data();
            assertArrayEquals(fromFolder, fromFile);
        }
    }

    @Test
    void aGpuRequestWithoutAGpuNamesTheProblem() {
        assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        SdmException e = assertThrows(SdmException.class,
                () -> StableDiffusion.load(MODEL, LoadOptions.defaults().withDevice("gpu")));
        assertTrue(e.getMessage().contains("'gpu'") && e.getMessage().contains("no GPU"), e.getMessage());
    }

    @Test
    void anExtensionWithoutItsModuleNamesTheExtension() {
        try (StableDiffusion sd = StableDiffusion.load(MODEL)) {
            SdmException e = assertThrows(SdmException.class, () -> sd.txt2img("x").steps(2).seed(1)
                    .with(new UnhandledExtension("block:2:interval=3")).generate());
            assertTrue(e.getMessage().contains("'block:2:interval=3'") && e.getMessage().contains("add the module"),
                    e.getMessage());
        }
    }
}
