package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.testkit.Tolerance;
import io.github.sdm.unet.lora.LoraFixture;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * LoRA merged at load into the graphs sdm builds ({@code LoadOptions.withLora}): diffusers' txt2img cases of
 * {@code fixtures/tiny-lora} (a kohya file with LoCon adapters on 3x3 convolutions and a diffusers file, multipliers
 * 0.8, 1 and 0) within the pipeline tolerances the djl backend's LoRA test holds (final latents 1e-3, images 2e-3);
 * multiplier 0 gives the plain built graphs' result bit for bit; merged into float16-held weights within the float16
 * weight bounds; refused on an ONNX export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxBuiltLoraTest {
    private static final Tolerance LATENTS = Tolerance.absolute(1e-3);
    private static final Tolerance IMAGE = Tolerance.absolute(2e-3);

    private LoraFixture fixture;

    @BeforeAll
    void open() {
        fixture = new LoraFixture();
    }

    @AfterAll
    void close() {
        fixture.close();
    }

    private static LoadOptions options() {
        return LoadOptions.defaults().withBackend(new OnnxBackend().name());
    }

    private static StableDiffusion load(LoadOptions options) {
        return StableDiffusion.load(ModelLocation.folder(TestData.tinySd()), options);
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceCaseMergedAtLoad() throws IOException {
        return LoraFixture.cases().stream().map(c -> DynamicTest.dynamicTest(LoraFixture.id(c) + " merged "
                + c.get("lora_file").getAsString() + " x" + LoraFixture.multiplier(c), () -> {
                    try (StableDiffusion merged = load(options().withLora(LoraFixture.file(c),
                            LoraFixture.multiplier(c)))) {
                        fixture.check(c, fixture.generate(merged, c).generate(), LATENTS, IMAGE);
                    }
                }));
    }

    @Test
    void multiplierZeroIsThePlainGraphsBitForBit() throws IOException {
        JsonObject c = LoraFixture.cases().stream().filter(x -> LoraFixture.multiplier(x) == 0).findFirst()
                .orElseThrow();
        float[] plain;
        try (StableDiffusion sd = load(options())) {
            plain = fixture.generate(sd, c).generate().finalLatents().data();
        }
        try (StableDiffusion sd = load(options().withLora(LoraFixture.file(c), 0))) {
            assertArrayEquals(plain, fixture.generate(sd, c).generate().finalLatents().data());
        }
    }

    /** Merged in float32, then held in float16: within the float16-weight bounds of the plain model. */
    @Test
    void mergedIntoFloat16Weights() throws IOException {
        JsonObject c = LoraFixture.firstAdaptedCase();
        try (StableDiffusion sd = load(options().withWeightPrecision(Precision.FP16)
                .withLora(LoraFixture.file(c), LoraFixture.multiplier(c)))) {
            fixture.check(c, fixture.generate(sd, c).generate(), Tolerance.ofPeakAtLeastOne(2e-3),
                    Tolerance.absolute(5e-3));
        }
    }

    @Test
    void anExportIsRefusedWithTheReason() throws IOException {
        JsonObject c = LoraFixture.firstAdaptedCase();
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(
                ModelLocation.folder(OnnxExports.optimum()), options().withLora(LoraFixture.file(c), 1)).close());
        assertTrue(e.getMessage().contains("not into an ONNX export"), e.getMessage());
    }
}
