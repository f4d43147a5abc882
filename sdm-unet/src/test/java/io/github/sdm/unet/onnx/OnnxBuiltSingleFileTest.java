package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.testkit.TestData;
import org.junit.jupiter.api.Test;

/**
 * A single-file LDM checkpoint on the onnx backend: its keys mapped to diffusers' names, as the djl backend reads it,
 * feed the same built graphs. The checkpoint holds the tiny model's weights ({@code ldm-single-file/}, written by
 * diffusers' conversion script), so a generation from it equals, bit for bit, one from the diffusers folder.
 */
class OnnxBuiltSingleFileTest {
    @Test
    void aSingleFileGeneratesWhatItsDiffusersFolderGenerates() {
        LoadOptions onnx = LoadOptions.defaults().withBackend("onnx");
        ModelLocation single = ModelLocation.singleFile(TestData.fixture("ldm-single-file/tiny-sd15.safetensors"),
                TestData.tinySd());
        try (StableDiffusion fromFolder = StableDiffusion.load(ModelLocation.folder(TestData.tinySd()), onnx);
                StableDiffusion fromFile = StableDiffusion.load(single, onnx)) {
            GenerationResult expected = fromFolder.txt2img("a red apple").size(64, 64).steps(3).seed(7).generate();
            GenerationResult actual = fromFile.txt2img("a red apple").size(64, 64).steps(3).seed(7).generate();
            assertArrayEquals(expected.finalLatents().data(), actual.finalLatents().data(), "final latents");
            assertArrayEquals(expected.decoded().data(), actual.decoded().data(), "decoded image");
        }
    }
}
