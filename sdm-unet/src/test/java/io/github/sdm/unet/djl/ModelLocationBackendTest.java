package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the DJL backend loads: components from other folders, the weight formats it claims, and the precision
 * combinations it runs.
 */
class ModelLocationBackendTest {
    private static final Path MODEL = TestData.tinySd();

    @TempDir
    Path dir;

    private static GenerationResult generate(StableDiffusion sd) {
        return sd.txt2img("a red apple").negativePrompt("blurry").steps(3).sampler("ddim").seed(3).generate();
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void aUNetFromACopyOfItsOwnFolderGivesTheSameImage() throws IOException {
        Path student = dir.resolve("student-unet");
        copyFolder(MODEL.resolve("unet"), student);
        float[] plain;
        try (StableDiffusion sd = StableDiffusion.load(MODEL)) {
            plain = generate(sd).decoded().data();
        }
        try (StableDiffusion sd = StableDiffusion.load(ModelLocation.folder(MODEL).withComponent("unet", student),
                LoadOptions.defaults())) {
            assertArrayEquals(plain, generate(sd).decoded().data());
        }
    }

    /** The decoder's weights scaled by 1.1: the same latents decode to another image. */
    @Test
    void aVaeFromAFolderWithOtherWeightsDecodesAnotherImage() throws IOException {
        Path otherVae = Files.createDirectories(dir.resolve("other-vae"));
        Files.copy(MODEL.resolve("vae/config.json"), otherVae.resolve("config.json"));
        try (SafetensorsFile original = SafetensorsFile.open(MODEL.resolve("vae/" + AutoencoderKL.WEIGHTS_FILE))) {
            List<TensorSource> tensors = new ArrayList<>();
            for (String name : original.names()) {
                float[] values = original.floats(name);
                if (name.startsWith("decoder.")) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] *= 1.1f;
                    }
                }
                tensors.add(TensorSource.ofFloats(name, DType.F32, values, original.info(name).shape()));
            }
            SafetensorsWriter.write(otherVae.resolve(AutoencoderKL.WEIGHTS_FILE), tensors);
        }
        GenerationResult plain;
        try (StableDiffusion sd = StableDiffusion.load(MODEL)) {
            plain = generate(sd);
        }
        try (StableDiffusion sd = StableDiffusion.load(ModelLocation.folder(MODEL).withComponent("vae", otherVae),
                LoadOptions.defaults())) {
            GenerationResult other = generate(sd);
            assertArrayEquals(plain.finalLatents().data(), other.finalLatents().data(), "the UNet is the same");
            assertFalse(Arrays.equals(plain.decoded().data(), other.decoded().data()), "the decoder differs");
        }
    }

    @Test
    void aMissingComponentFolderIsNamed() {
        Path missing = dir.resolve("no-such-vae");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> StableDiffusion.load(
                ModelLocation.folder(MODEL).withComponent("vae", missing), LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("'vae'") && e.getMessage().contains(missing.toString()), e.getMessage());
    }

    /** A folder without unet/ is refused naming the missing folder, not with a generic "cannot load". */
    @Test
    void aMissingUNetFolderIsNamed() throws IOException {
        Path model = dir.resolve("no-unet");
        for (String name : List.of("scheduler", "tokenizer", "text_encoder", "vae")) {
            copyFolder(MODEL.resolve(name), model.resolve(name));
        }
        Files.copy(MODEL.resolve("model_index.json"), model.resolve("model_index.json"));
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(model));
        assertEquals("No backend can load " + model + ": djl: unet/ is missing (the folder of the unet's config.json"
                + " and weights); onnx: no ONNX graphs can be built from it: unet/ has no config.json", e.getMessage());
    }

    /** An ONNX export is not claimed: the error says which backend refused and why. */
    @Test
    void anOnnxExportIsNotClaimedAndTheReasonIsGiven() throws IOException {
        Path onnx = dir.resolve("onnx-model");
        for (String name : List.of("scheduler", "tokenizer", "text_encoder", "vae")) {
            copyFolder(MODEL.resolve(name), onnx.resolve(name));
        }
        Files.createDirectories(onnx.resolve("unet"));
        Files.copy(MODEL.resolve("unet/config.json"), onnx.resolve("unet/config.json"));
        Files.write(onnx.resolve("unet/model.onnx"), new byte[] {0});
        Files.writeString(onnx.resolve("model_index.json"), Files.readString(MODEL.resolve("model_index.json"))
                .replace("\"StableDiffusionPipeline\"", "\"OnnxStableDiffusionPipeline\""));
        SdmException e = assertThrows(SdmException.class, () -> StableDiffusion.load(onnx));
        assertTrue(e.getMessage().contains("djl: unet/ has model.onnx, not safetensors"), e.getMessage());

        SdmException named = assertThrows(SdmException.class,
                () -> StableDiffusion.load(onnx, LoadOptions.defaults().withBackend("djl")));
        assertTrue(named.getMessage().contains("unet/ has model.onnx"), named.getMessage());
    }

    @Test
    void aUNetOverrideHoldingOnlyOnnxIsNotClaimed() throws IOException {
        Path onnxUnet = Files.createDirectories(dir.resolve("onnx-unet"));
        Files.write(onnxUnet.resolve("model.onnx"), new byte[] {0});
        assertEquals(false, new DjlBackend().canLoad(ModelLocation.folder(MODEL).withComponent("unet", onnxUnet))
                .loadable());
        assertTrue(new DjlBackend().canLoad(ModelLocation.folder(MODEL)).loadable());
    }

    @Test
    void aPickledCheckpointIsNotClaimed() throws IOException {
        Path ckpt = Files.write(dir.resolve("model.ckpt"), new byte[] {0});
        String reason = new DjlBackend().canLoad(ModelLocation.singleFile(ckpt, MODEL)).reason();
        assertTrue(reason.contains("model.ckpt") && reason.contains(".safetensors"), reason);
    }

    /** What runs loads and generates; BF16, which DJL's bridge cannot hold, fails at load naming the option. */
    @Test
    void halfAndInt8WeightsRunAndBf16IsRefused() {
        SdmException weights = assertThrows(SdmException.class, () -> StableDiffusion.load(MODEL,
                LoadOptions.defaults().withWeightPrecision(Precision.BF16)));
        assertTrue(weights.getMessage().contains("weightPrecision BF16")
                && weights.getMessage().contains("FP16 or INT8"), weights.getMessage());
        SdmException compute = assertThrows(SdmException.class, () -> StableDiffusion.load(MODEL,
                LoadOptions.defaults().withComputePrecision(Precision.BF16)));
        assertTrue(compute.getMessage().contains("computePrecision BF16"), compute.getMessage());
        for (Precision storage : new Precision[] {Precision.FP16, Precision.INT8}) {
            try (StableDiffusion sd = StableDiffusion.load(MODEL, LoadOptions.defaults().withWeightPrecision(storage))) {
                assertEquals(1, generate(sd).images().size());
            }
        }
    }
}
