package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.model.Residency;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.weights.Int8WeightFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sdm quantize}'s work on the tiny model: one int8 weight file per network, and generations that load them
 * compute what generations quantizing at load compute, bit for bit, resident or per stage with weight paging.
 */
class Int8QuantizerTest {
    private static final LoadOptions INT8 = LoadOptions.defaults().withWeightPrecision(Precision.INT8);

    @TempDir
    Path dir;

    @Test
    void generationsFromTheInt8FilesEqualGenerationsQuantizedAtLoad() throws IOException {
        Path model = TestData.copy(TestData.tinySd(), dir.resolve("tiny-sd"));
        List<String> progress = new ArrayList<>();
        List<Int8Quantizer.Written> written = Int8Quantizer.quantize(ModelLocation.folder(model), progress::add);

        assertEquals(List.of("text_encoder", "unet", "vae"), written.stream().map(Int8Quantizer.Written::component)
                .toList());
        assertEquals(List.of(model.resolve("text_encoder/model.int8.safetensors"),
                model.resolve("unet/diffusion_pytorch_model.int8.safetensors"),
                model.resolve("vae/diffusion_pytorch_model.int8.safetensors")),
                written.stream().map(Int8Quantizer.Written::file).toList());
        try (SafetensorsFile unet = SafetensorsFile.open(written.get(1).file())) {
            assertEquals(DType.I8, unet.info("conv_in.weight").dtype());
            assertEquals(DType.F32, unet.info("conv_in.weight_scale").dtype());
            assertEquals(Int8WeightFiles.SCHEME, unet.metadata().get(Int8WeightFiles.METADATA_KEY));
            assertEquals("diffusion_pytorch_model.safetensors",
                    unet.metadata().get(Int8WeightFiles.SOURCE_METADATA_KEY));
        }

        GenerationResult quantizedAtLoad = generate(TestData.tinySd(), INT8);
        GenerationResult fromFiles = generate(model, INT8);
        assertArrayEquals(quantizedAtLoad.finalLatents().data(), fromFiles.finalLatents().data());
        assertArrayEquals(quantizedAtLoad.decoded().data(), fromFiles.decoded().data());
        GenerationResult pagedPerStage = generate(model,
                INT8.withResidency(Residency.PER_STAGE).withWeightPaging(true));
        assertArrayEquals(quantizedAtLoad.decoded().data(), pagedPerStage.decoded().data());

        // other weight precisions keep reading the float weights
        assertArrayEquals(generate(TestData.tinySd(), LoadOptions.defaults()).decoded().data(),
                generate(model, LoadOptions.defaults()).decoded().data());
    }

    @Test
    void aFolderWithOnlyInt8WeightsIsRefusedForFloatWeightsNamingTheFile() throws IOException {
        Path model = TestData.copy(TestData.tinySd(), dir.resolve("tiny-sd"));
        Int8Quantizer.quantize(ModelLocation.folder(model), line -> { });
        Files.delete(model.resolve("unet/diffusion_pytorch_model.safetensors"));

        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> StableDiffusion.load(model, LoadOptions.defaults().withWeightPrecision(Precision.FP16)));
        assertTrue(e.getMessage().contains("unet/diffusion_pytorch_model.int8.safetensors")
                && e.getMessage().contains("--weights int8"), e.getMessage());
        // int8 storage still loads it, and quantizing again needs the float weights
        try (StableDiffusion sd = StableDiffusion.load(model, INT8)) {
            assertEquals(1, sd.txt2img("a boat").steps(1).seed(1).generate().images().size());
        }
        ModelFormatException again = assertThrows(ModelFormatException.class,
                () -> Int8Quantizer.quantize(ModelLocation.folder(model), line -> { }));
        assertTrue(again.getMessage().contains("no float weights to quantize"), again.getMessage());
    }

    private static GenerationResult generate(Path model, LoadOptions options) {
        try (StableDiffusion sd = StableDiffusion.load(model, options)) {
            return sd.txt2img("a lighthouse").steps(2).sampler("ddim").seed(3).generate();
        }
    }
}
