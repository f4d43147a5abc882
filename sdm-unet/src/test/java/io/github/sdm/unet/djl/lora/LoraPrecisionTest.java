package io.github.sdm.unet.djl.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.gson.JsonObject;
import io.github.sdm.core.AppliedLora;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import io.github.sdm.unet.djl.DjlBackend;
import io.github.sdm.unet.lora.LoraFixture;
import java.io.IOException;
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
        JsonObject c = LoraFixture.firstAdaptedCase();
        try (StableDiffusion sd = load(Precision.INT8, Precision.FP32); LoraFixture fixture = new LoraFixture()) {
            float[] before = fixture.generate(sd, c).generate().finalLatents().data();
            AppliedLora lora = sd.applyLora(LoraFixture.file(c), LoraFixture.multiplier(c));
            fixture.check(c, fixture.generate(sd, c).generate(), Tolerance.ofPeakAtLeastOne(3e-2), null);
            lora.unmerge();
            assertArrayEquals(before, fixture.generate(sd, c).generate().finalLatents().data(), "int8 again");
        }
    }

    @Test
    void perGenerationOnFloat16Compute() throws IOException {
        JsonObject c = LoraFixture.firstAdaptedCase();
        try (StableDiffusion sd = load(Precision.FP16, Precision.FP16); LoraFixture fixture = new LoraFixture()) {
            fixture.check(c, fixture.generate(sd, c).lora(LoraFixture.file(c), LoraFixture.multiplier(c)).generate(),
                    Tolerance.ofPeakAtLeastOne(1e-2), null);
        }
    }

    private static StableDiffusion load(Precision weights, Precision compute) {
        return StableDiffusion.load(ModelLocation.folder(TestData.tinySd()), LoadOptions.defaults()
                .withBackend(new DjlBackend().name()).withWeightPrecision(weights).withComputePrecision(compute));
    }
}
