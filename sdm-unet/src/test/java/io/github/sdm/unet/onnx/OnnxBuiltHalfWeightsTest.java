package io.github.sdm.unet.onnx;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * The embedded emoji model, whose weights are stored in float16, on the built graphs: widened to float32 at load as
 * the djl backend holds them, so a generation gives the djl backend's final latents and image within the pipeline
 * tolerances (1e-3, 2e-3).
 */
class OnnxBuiltHalfWeightsTest {
    @Test
    void aFloat16CheckpointGeneratesWhatDjlGenerates() {
        ModelLocation emoji = ModelLocation.folder(TestData.model("emoji-sd"));
        try (StableDiffusion djl = StableDiffusion.load(emoji, LoadOptions.defaults().withBackend("djl"));
                StableDiffusion onnx = StableDiffusion.load(emoji, LoadOptions.defaults().withBackend("onnx"))) {
            GenerationResult expected = djl.txt2img("red apple").steps(4).seed(42).generate();
            GenerationResult actual = onnx.txt2img("red apple").steps(4).seed(42).generate();
            Close.assertClose("final latents", expected.finalLatents(), actual.finalLatents(), Tolerance.absolute(1e-3));
            Close.assertClose("decoded image", expected.decoded(), actual.decoded(), Tolerance.absolute(2e-3));
        }
    }
}
