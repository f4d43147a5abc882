package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.spi.BackendSelector;
import io.github.sdm.core.spi.LoadVerdict;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.DjlBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which folders the onnx backend claims, which the djl backend claims, and the load options it refuses. */
class OnnxBackendTest {
    private final OnnxBackend onnx = new OnnxBackend();
    private final DjlBackend djl = new DjlBackend();

    static Stream<Path> exports() {
        return Stream.of(OnnxExports.diffusersScript(), OnnxExports.optimum());
    }

    @ParameterizedTest
    @MethodSource("exports")
    void anOnnxExportIsClaimedByOnnxAndRefusedByDjl(Path export) {
        ModelLocation location = ModelLocation.folder(export);
        assertTrue(onnx.canLoad(location).loadable(), onnx.canLoad(location).reason());
        LoadVerdict djlVerdict = djl.canLoad(location);
        assertFalse(djlVerdict.loadable());
        assertTrue(djlVerdict.reason().contains("model.onnx, not safetensors"), djlVerdict.reason());
        assertEquals("onnx", BackendSelector.fromClasspath().choose(location, LoadOptions.defaults()).name());
    }

    @Test
    void aSafetensorsFolderIsClaimedByBothAndLoadsOnDjlUnlessOnnxIsNamed() {
        ModelLocation location = ModelLocation.folder(TestData.tinySd());
        assertTrue(onnx.canLoad(location).loadable(), onnx.canLoad(location).reason());
        assertTrue(djl.canLoad(location).loadable());
        assertEquals("djl", BackendSelector.fromClasspath().choose(location, LoadOptions.defaults()).name());
        assertEquals("onnx", BackendSelector.fromClasspath()
                .choose(location, LoadOptions.defaults().withBackend("onnx")).name());
    }

    @Test
    void aSingleFileCheckpointIsClaimedForBuiltGraphs() {
        LoadVerdict verdict = onnx.canLoad(ModelLocation.singleFile(
                TestData.fixture("ldm-single-file/tiny-sd15.safetensors"), TestData.tinySd()));
        assertTrue(verdict.loadable(), verdict.reason());
    }

    @Test
    void aTinyVaeFolderIsClaimedForBuiltGraphs() {
        ModelLocation location = ModelLocation.folder(TestData.tinySd()).withComponent("vae", TestData.fixture("taesd"));
        LoadVerdict verdict = onnx.canLoad(location);
        assertTrue(verdict.loadable(), verdict.reason());
    }

    @Test
    void aVaeFolderFromElsewhereIsNotClaimed() {
        LoadVerdict verdict = onnx.canLoad(ModelLocation.folder(OnnxExports.optimum())
                .withComponent("vae", TestData.tinySd().resolve("vae")));
        assertFalse(verdict.loadable());
        assertTrue(verdict.reason().contains("vae_encoder/, vae_decoder/"), verdict.reason());
    }

    @Test
    void anExportWithoutItsDecoderIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path export = TestData.copy(OnnxExports.optimum(), dir.resolve("export"));
        Files.delete(export.resolve("vae_decoder/model.onnx"));
        LoadVerdict verdict = onnx.canLoad(ModelLocation.folder(export));
        assertFalse(verdict.loadable());
        assertEquals("vae_decoder/ has no model.onnx", verdict.reason());
        SdmException e = assertThrows(SdmException.class,
                () -> StableDiffusion.load(export, LoadOptions.defaults().withBackend("onnx")));
        assertTrue(e.getMessage().contains("vae_decoder/ has no model.onnx"), e.getMessage());
    }

    @Test
    void anExportWithoutEncoderLoadsAndRefusesImg2ImgNamingTheFile(@TempDir Path dir) throws IOException {
        Path export = TestData.copy(OnnxExports.optimum(), dir.resolve("export"));
        Files.delete(export.resolve("vae_encoder/model.onnx"));
        try (StableDiffusion sd = StableDiffusion.load(export)) {
            assertEquals(3 * 64 * 64, sd.txt2img("a cup").size(64, 64).steps(2).seed(1).generate().decoded().size());
            SdmException e = assertThrows(SdmException.class, () -> sd.img2img(
                    io.github.sdm.core.tensor.FloatTensor.zeros(1, 3, 64, 64), "a cup").steps(2).seed(1).generate());
            assertTrue(e.getMessage().contains("vae_encoder/model.onnx"), e.getMessage());
        }
    }

    @Test
    void halfPrecisionOptionsAreRefusedNamingTheOption() {
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(OnnxExports.optimum(),
                LoadOptions.defaults().withComputePrecision(Precision.FP16)));
        assertTrue(e.getMessage().contains("computePrecision FP16") && e.getMessage().contains("onnx backend"),
                e.getMessage());
    }

    @Test
    void halfPrecisionComputeIsRefusedOnTheBuiltGraphsNamingTheOption() {
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(TestData.tinySd(),
                LoadOptions.defaults().withBackend("onnx").withWeightPrecision(Precision.FP16)
                        .withComputePrecision(Precision.FP16)));
        assertTrue(e.getMessage().contains("computePrecision FP16") && e.getMessage().contains("compute in float32"),
                e.getMessage());
    }

    @Test
    void weightPagingIsRefusedNamingTheOptionAndTheBackend() {
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(OnnxExports.optimum(),
                LoadOptions.defaults().withWeightPaging(true)));
        assertTrue(e.getMessage().contains("weightPaging") && e.getMessage().contains("onnx backend"), e.getMessage());
    }

    @Test
    void attentionSlicingIsRefusedNamingTheOption() {
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(OnnxExports.optimum(),
                LoadOptions.defaults().withAttentionSliceSize(2)));
        assertTrue(e.getMessage().contains("attentionSliceSize 2"), e.getMessage());
    }

    @Test
    void aGpuWithoutOnnxRuntimesCudaProviderNamesWhatToInstall() {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this ONNX Runtime has CUDA");
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(OnnxExports.optimum(),
                LoadOptions.defaults().withDevice("gpu:0")));
        assertTrue(e.getMessage().contains("'gpu:0'") && e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
    }

    @Test
    void theExportsAreCopiesOfTheTinyModelsReferences() throws IOException {
        for (Path export : List.of(OnnxExports.diffusersScript(), OnnxExports.optimum())) {
            for (String file : List.of("reference.json", "reference.safetensors")) {
                assertEquals(-1L, Files.mismatch(export.resolve(file), TestData.fixture("tiny-sd-pipe/" + file)),
                        export + "/" + file + " differs from the tiny-sd-pipe fixture the parity suite replays");
            }
        }
    }
}
