package io.github.sdm.unet.djl.lora;

import static io.github.sdm.core.testkit.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.gson.JsonObject;
import io.github.sdm.core.AppliedLora;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.tensor.FloatTensor;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import io.github.sdm.unet.djl.DjlBackend;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * LoRA adapters on models held or computed in reduced precision, against diffusers' float32 references
 * ({@code fixtures/tiny-lora}) within the bounds the precision parity tests state for the plain model (final latents
 * within 3e-2 of their peak for int8 weights, 1e-2 for float16 compute): merged into int8 weights (merged in float32,
 * those weights then held in float32), and per generation on float16 activations (the adapters' products in float32,
 * cast back). Unmerging puts the int8 weights back bit for bit.
 */
class LoraPrecisionTest {

    @Test
    void mergedIntoInt8WeightsAndUnmergedBitForBit() throws IOException {
        JsonObject c = firstAdaptedCase();
        try (StableDiffusion sd = load(Precision.INT8, Precision.FP32);
                SafetensorsFile reference = reference()) {
            float[] before = generate(sd, c, reference).generate().finalLatents().data();
            AppliedLora lora = sd.applyLora(file(c), c.get("multiplier").getAsDouble());
            check(c, reference, generate(sd, c, reference).generate(), Tolerance.ofPeakAtLeastOne(3e-2));
            lora.unmerge();
            assertArrayEquals(before, generate(sd, c, reference).generate().finalLatents().data(), "int8 again");
        }
    }

    @Test
    void perGenerationOnFloat16Compute() throws IOException {
        JsonObject c = firstAdaptedCase();
        try (StableDiffusion sd = load(Precision.FP16, Precision.FP16);
                SafetensorsFile reference = reference()) {
            check(c, reference, generate(sd, c, reference).lora(file(c), c.get("multiplier").getAsDouble()).generate(),
                    Tolerance.ofPeakAtLeastOne(1e-2));
        }
    }

    private static StableDiffusion load(Precision weights, Precision compute) {
        return StableDiffusion.load(ModelLocation.folder(TestData.tinySd()), LoadOptions.defaults()
                .withBackend(new DjlBackend().name()).withWeightPrecision(weights).withComputePrecision(compute));
    }

    private static JsonObject firstAdaptedCase() throws IOException {
        return LoraReferenceTest.cases().stream().filter(x -> x.get("multiplier").getAsDouble() != 0).findFirst()
                .orElseThrow();
    }

    private static SafetensorsFile reference() {
        return SafetensorsFile.open(TestData.fixture("tiny-lora/reference.safetensors"));
    }

    private static Path file(JsonObject c) {
        return TestData.fixture("tiny-lora/" + c.get("lora_file").getAsString());
    }

    private static GenerationBuilder generate(StableDiffusion sd, JsonObject c, SafetensorsFile reference) {
        String id = c.get("id").getAsString();
        return sd.txt2img(c.get("prompt").getAsString()).initialLatents(tensor(reference, id + ".initial_latents"))
                .size(c.get("width").getAsInt(), c.get("height").getAsInt())
                .sampler(c.get("scheduler").getAsString()).negativePrompt(c.get("negative_prompt").getAsString())
                .steps(c.get("steps").getAsInt()).guidance(c.get("guidance_scale").getAsDouble());
    }

    private static void check(JsonObject c, SafetensorsFile reference, GenerationResult result, Tolerance latents) {
        String id = c.get("id").getAsString();
        assertClose(id + " final latents", tensor(reference, id + ".final_latents"), result.finalLatents(), latents);
    }

    private static FloatTensor tensor(SafetensorsFile file, String name) {
        return new FloatTensor(file.floats(name), file.info(name).intShape());
    }
}
