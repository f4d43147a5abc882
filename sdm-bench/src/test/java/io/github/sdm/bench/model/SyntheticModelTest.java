package io.github.sdm.bench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.bench.TinyUNet;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.ModelFolder;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.Half;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import io.github.sdm.unet.djl.vae.AutoencoderTiny;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelTest {
    private static final long SEED = 42;
    /** The repository's tiny model: mutually consistent tiny configs and CLIP's real tokenizer. */
    private static final Path TINY_SD = TestData.tinySd();

    @TempDir
    Path dir;

    @Test
    void aWrittenTinyUNetLoadsAndComputesWhatTheInMemoryRandomUNetComputes() throws IOException {
        Path out = dir.resolve("model");
        List<String> log = new ArrayList<>();
        SyntheticModel.Written written = SyntheticModel.stableDiffusion15().withUNetConfig(TinyUNet.CONFIG)
                .write(out, new SyntheticModel.Options(SEED, DType.F32, true), tokenizer(), log::add);

        UNetConfig config = UNetConfig.parse(TinyUNet.CONFIG, "tiny");
        try (NDManager manager = NDManager.newBaseManager();
             UNet2DConditionModel loaded = UNet2DConditionModel.load(out.resolve("unet"), manager);
             UNet2DConditionModel random = UNet2DConditionModel.random(config, SEED, manager)) {
            assertEquals(config, loaded.config());
            NDArray sample = manager.randomNormal(new Shape(2, 4, 16, 16));
            NDArray t = manager.create(new float[] {981f});
            NDArray text = manager.randomNormal(new Shape(2, 5, 12));
            float[] fromFile = loaded.forward(sample, t, text, ForwardContext.DEFAULT).toFloatArray();
            float[] inMemory = random.forward(sample, t, text, ForwardContext.DEFAULT).toFloatArray();
            assertArrayEquals(inMemory, fromFile);
            long parameters = random.allParameters().values().stream().mapToLong(p -> count(p.shape())).sum();
            assertEquals(parameters, written.parameterCount());
        }

        ModelFolder folder = ModelFolder.open(out);
        assertEquals(Set.of("unet", "scheduler", "tokenizer"), folder.components().keySet());
        assertEquals("PNDMScheduler", folder.schedulerConfig().className());
        assertEquals(SyntheticModel.stableDiffusion15Config("scheduler"),
                Files.readString(out.resolve("scheduler/scheduler_config.json")));
        assertArrayEquals(Files.readAllBytes(tokenizer().resolve("vocab.json")),
                Files.readAllBytes(out.resolve("tokenizer/vocab.json")));
        assertArrayEquals(Files.readAllBytes(tokenizer().resolve("merges.txt")),
                Files.readAllBytes(out.resolve("tokenizer/merges.txt")));
        assertTrue(log.stream().anyMatch(l -> l.contains("diffusion_pytorch_model.safetensors")), log.toString());
        try (var files = Files.list(out.resolve("unet"))) {
            assertFalse(files.anyMatch(f -> f.toString().endsWith(".partial")));
        }
    }

    @Test
    void aFullTinyModelHoldsEachNetworksRandomWeightsAndRunsThroughThePipeline() throws IOException {
        Path out = dir.resolve("full");
        SyntheticModel tiny = SyntheticModel.stableDiffusion15()
                .withUNetConfig(Files.readString(TINY_SD.resolve("unet/config.json")))
                .withVaeConfig(Files.readString(TINY_SD.resolve("vae/config.json")))
                .withTextEncoderConfig(Files.readString(TINY_SD.resolve("text_encoder/config.json")));
        SyntheticModel.Written written = tiny.write(out, new SyntheticModel.Options(SEED, DType.F32, false),
                TINY_SD.resolve("tokenizer"), line -> { });
        assertEquals(List.of("unet", "vae", "text_encoder", "scheduler", "tokenizer"), written.components());
        assertEquals(Set.of("unet", "vae", "text_encoder", "scheduler", "tokenizer"),
                ModelFolder.open(out).components().keySet());

        long parameters = 0;
        try (NDManager manager = NDManager.newBaseManager();
             AutoencoderKL vae = AutoencoderKL.load(out.resolve("vae"), manager);
             AutoencoderKL vaeRandom = AutoencoderKL.random(vae.config(), SEED, manager);
             CLIPTextModel clip = CLIPTextModel.load(out.resolve("text_encoder"), manager);
             CLIPTextModel clipRandom = CLIPTextModel.random(clip.config(), SEED, manager);
             UNet2DConditionModel unet = UNet2DConditionModel.load(out.resolve("unet"), manager);
             UNet2DConditionModel unetRandom = UNet2DConditionModel.random(unet.config(), SEED, manager)) {
            parameters += assertSameWeights(vaeRandom, vae);
            parameters += assertSameWeights(clipRandom, clip);
            parameters += assertSameWeights(unetRandom, unet);
        }
        assertEquals(parameters, written.parameterCount());
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("text_encoder/model.safetensors"))) {
            long[] positions = file.longs(CLIPTextModel.POSITION_IDS_KEY);
            assertEquals(77, positions.length);
            assertEquals(76, positions[76]);
        }

        try (StableDiffusion sd = StableDiffusion.load(out)) {
            GenerationResult result = sd.txt2img("a red apple").sampler("ddim").steps(2).size(64, 64).seed(3).generate();
            assertEquals(64, result.images().get(0).getWidth());
            assertEquals(2, result.timings().unetCalls().size());
        }
    }

    @Test
    void theBundledVaeAndTextEncoderConfigsAreStableDiffusion15s() {
        SyntheticModel sd15 = SyntheticModel.stableDiffusion15();
        AutoencoderKLConfig vae = AutoencoderKLConfig.parse(sd15.vaeConfigJson(), "vae");
        assertEquals(AutoencoderKLConfig.stableDiffusion15(), vae);
        assertEquals(83_653_863L, parameterCount(new AutoencoderKL(vae)));
        CLIPTextConfig clip = CLIPTextConfig.parse(sd15.textEncoderConfigJson(), "text_encoder");
        assertEquals(CLIPTextConfig.stableDiffusion15(), clip);
        assertEquals(123_060_480L, parameterCount(new CLIPTextModel(clip)));
    }

    @Test
    void halfPrecisionStoresTheRandomValuesRoundedToF16() {
        Path out = dir.resolve("fp16");
        SyntheticModel.stableDiffusion15().withUNetConfig(TinyUNet.CONFIG)
                .write(out, new SyntheticModel.Options(SEED, DType.F16, true), tokenizer(), line -> { });
        UNet2DConditionModel tree = new UNet2DConditionModel(UNetConfig.parse(TinyUNet.CONFIG, "tiny"));
        try (SafetensorsFile file = SafetensorsFile.open(out.resolve("unet/diffusion_pytorch_model.safetensors"))) {
            assertEquals(tree.allParameters().keySet(), file.names());
            for (String key : List.of("conv_in.weight", "down_blocks.0.resnets.0.norm1.weight",
                    "mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight")) {
                Parameter p = tree.allParameters().get(key);
                assertEquals(DType.F16, file.info(key).dtype());
                float[] exact = SyntheticWeights.values(p, SEED);
                float[] rounded = new float[exact.length];
                for (int i = 0; i < exact.length; i++) {
                    rounded[i] = Half.toFloat(Half.fromFloat(exact[i]));
                }
                assertArrayEquals(rounded, file.floats(key), key);
            }
        }
    }

    @Test
    void theBundledUNetConfigIsStableDiffusion15() {
        UNetConfig parsed = UNetConfig.parse(SyntheticModel.stableDiffusion15().unetConfigJson(), "sd15");
        assertEquals(UNetConfig.stableDiffusion15(), parsed);
        assertEquals(859_520_964L, parameterCount(new UNet2DConditionModel(parsed)));
    }

    @Test
    void aFolderWithFilesIsNeverOverwritten() throws IOException {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        SdmException e = assertThrows(SdmException.class, () -> SyntheticModel.stableDiffusion15()
                .withUNetConfig(TinyUNet.CONFIG).write(dir, new SyntheticModel.Options(1, DType.F32, true),
                        tokenizer(), line -> { }));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
    }

    @Test
    void aTokenizerFolderWithoutVocabularyIsNamed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("no-tokenizer"));
        SdmException e = assertThrows(SdmException.class, () -> SyntheticModel.stableDiffusion15()
                .withUNetConfig(TinyUNet.CONFIG).write(dir.resolve("out"), new SyntheticModel.Options(1, DType.F32, true),
                        empty, line -> { }));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("vocab.json"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aBadUNetConfigFailsBeforeAnythingIsWritten() {
        assertThrows(SdmException.class, () -> SyntheticModel.stableDiffusion15().withUNetConfig("{\"in_channels\": 4}"));
    }

    /** A stand-in tokenizer folder: the model writer copies it and does not read it. */
    private Path tokenizer() {
        Path t = dir.resolve("tokenizer-source");
        try {
            if (!Files.exists(t)) {
                Files.createDirectories(t);
                Files.writeString(t.resolve("vocab.json"), "{\"a</w>\": 0}");
                Files.writeString(t.resolve("merges.txt"), "#version: 0.2\n");
                Files.writeString(t.resolve("tokenizer_config.json"), "{}");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return t;
    }

    /** Asserts every parameter of {@code loaded} equals {@code expected}'s; returns the weight count. */
    @Test
    void aTaesdFolderHoldsTheDefaultTinyAutoencoderWithItsRandomWeights() {
        Path out = dir.resolve("taesd");
        List<String> log = new ArrayList<>();
        long written = SyntheticModel.writeTaesd(out, new SyntheticModel.Options(SEED, DType.F16, false), log::add);
        try (NDManager manager = NDManager.newBaseManager();
             AutoencoderTiny taesd = AutoencoderTiny.load(out, manager);
             AutoencoderTiny random = AutoencoderTiny.random(AutoencoderTinyConfig.taesd(), SEED, manager)) {
            assertEquals(AutoencoderTinyConfig.taesd(), taesd.config(), "diffusers' AutoencoderTiny defaults");
            assertEquals(parameterCount(random), written);
            for (Map.Entry<String, Parameter> e : random.allParameters().entrySet()) {
                float[] want = e.getValue().value().toFloatArray();
                float[] got = taesd.allParameters().get(e.getKey()).value().toFloatArray();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(Half.toFloat(Half.fromFloat(want[i])), got[i], e.getKey() + "[" + i + "]");
                }
            }
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("F16")), log.toString());
        assertThrows(SdmException.class, () -> SyntheticModel.writeTaesd(out, new SyntheticModel.Options(SEED,
                DType.F32, false), log::add), "an existing folder is not overwritten");
    }

    private static long assertSameWeights(Part expected, Part loaded) {
        Map<String, Parameter> want = expected.allParameters();
        Map<String, Parameter> got = loaded.allParameters();
        assertEquals(want.keySet(), got.keySet());
        for (Map.Entry<String, Parameter> e : want.entrySet()) {
            assertArrayEquals(e.getValue().value().toFloatArray(), got.get(e.getKey()).value().toFloatArray(),
                    e.getKey());
        }
        return parameterCount(expected);
    }

    private static long parameterCount(Part tree) {
        return tree.allParameters().values().stream().mapToLong(p -> count(p.shape())).sum();
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
