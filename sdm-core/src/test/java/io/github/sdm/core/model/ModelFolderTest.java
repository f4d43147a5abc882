package io.github.sdm.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {
    private static final Path PIPE = TestData.tinySd();

    @TempDir
    Path dir;

    @Test
    void readsTheTinyPipeline() {
        ModelFolder model = ModelFolder.open(PIPE);
        assertEquals("StableDiffusionPipeline", model.pipelineClass());
        assertEquals(List.of("scheduler", "text_encoder", "tokenizer", "unet", "vae"),
                List.copyOf(model.components().keySet()));
        assertFalse(model.has("safety_checker"));
        assertEquals(new Component("unet", "diffusers", "UNet2DConditionModel"), model.component("unet"));
        assertEquals(new Component("text_encoder", "transformers", "CLIPTextModel"), model.component("text_encoder"));
        assertFalse(model.index().bool("requires_safety_checker"));
    }

    @Test
    void readsComponentConfigs() {
        ModelFolder model = ModelFolder.open(PIPE);
        ConfigFile scheduler = model.schedulerConfig();
        assertEquals("PNDMScheduler", scheduler.className());
        assertEquals(1000, scheduler.integer("num_train_timesteps"));
        assertEquals(0.00085, scheduler.number("beta_start"));
        assertEquals("scaled_linear", scheduler.string("beta_schedule"));
        assertTrue(scheduler.bool("skip_prk_steps"));
        assertEquals("epsilon", scheduler.string("prediction_type", "epsilon"));
        assertEquals(scheduler.path(), model.config("scheduler").path());

        ConfigFile text = model.config("text_encoder");
        assertEquals(49408, text.integer("vocab_size"));
        assertEquals("quick_gelu", text.string("hidden_act"));
        assertEquals(1e-5, text.number("layer_norm_eps"));

        ConfigFile unet = model.config("unet");
        assertEquals("UNet2DConditionModel", unet.className());
        assertEquals(4, unet.integer("in_channels"));
        assertEquals(unet.strings("down_block_types").size(), unet.integers("block_out_channels").length);
    }

    @Test
    void opensTokenizerAndWeights() {
        ModelFolder model = ModelFolder.open(PIPE);
        ClipTokenizer tokenizer = ClipTokenizer.load(model.tokenizerPath());
        assertEquals(77, tokenizer.maxLength());
        try (SafetensorsWeights vae = model.weights("vae")) {
            assertTrue(vae.names().contains("decoder.conv_out.weight"), vae.names().toString());
        }
    }

    @Test
    void readsPythonNonFiniteNumbersAndTypedValues() throws IOException {
        Path file = dir.resolve("scheduler_config.json");
        Files.writeString(file, """
                {"_class_name": "DPMSolverMultistepScheduler", "lambda_min_clipped": -Infinity, "max": Infinity,
                 "odd": NaN, "trained_betas": null, "head": 8, "heads": [5, 10, 20], "float_int": 2.0,
                 "betas": [0.1, -Infinity], "name": "x", "flag": true}
                """);
        ConfigFile config = ConfigFile.read(file);
        assertEquals(Double.NEGATIVE_INFINITY, config.number("lambda_min_clipped"));
        assertEquals(Double.POSITIVE_INFINITY, config.number("max"));
        assertTrue(Double.isNaN(config.number("odd")));
        assertFalse(config.has("trained_betas"));
        assertEquals(-1.0, config.number("trained_betas", -1.0));
        assertArrayEquals(new int[] {8, 8, 8}, config.integersOrRepeated("head", 3));
        assertArrayEquals(new int[] {5, 10, 20}, config.integersOrRepeated("heads", 3));
        assertEquals(2, config.integer("float_int"));
        assertArrayEquals(new double[] {0.1, Double.NEGATIVE_INFINITY}, config.numbers("betas"));

        assertMessage(assertThrows(ModelFormatException.class, () -> config.integer("missing")), file, "'missing'",
                "missing");
        assertMessage(assertThrows(ModelFormatException.class, () -> config.integer("name")), file, "'name'",
                "an integer", "\"x\"");
        assertMessage(assertThrows(ModelFormatException.class, () -> config.integer("odd")), file, "'odd'");
        assertMessage(assertThrows(ModelFormatException.class, () -> config.number("name")), file, "'name'", "a number");
        assertMessage(assertThrows(ModelFormatException.class, () -> config.bool("head")), file, "'head'");
        assertMessage(assertThrows(ModelFormatException.class, () -> config.strings("heads")), file, "'heads[0]'");
        assertMessage(assertThrows(ModelFormatException.class, () -> config.integersOrRepeated("heads", 4)), file,
                "'heads'", "3 values", "expected 4");
        assertMessage(assertThrows(ModelFormatException.class, () -> config.integers("head")), file, "'head'", "a list");
    }

    @Test
    void missingFolderOrIndexIsNamed() throws IOException {
        Path absent = dir.resolve("nowhere");
        assertMessage(assertThrows(ModelFormatException.class, () -> ModelFolder.open(absent)), absent, "not found");
        assertMessage(assertThrows(ModelFormatException.class, () -> ModelFolder.open(dir)), dir.resolve("model_index.json"),
                "missing");
        Path file = Files.writeString(dir.resolve("model.safetensors"), "x");
        assertMessage(assertThrows(ModelFormatException.class, () -> ModelFolder.open(file)), file, "not a diffusers");
    }

    @Test
    void malformedIndexIsNamed() throws IOException {
        Path index = dir.resolve("model_index.json");
        Files.writeString(index, "{\"unet\": [\"diffusers\", ");
        assertMessage(assertThrows(ModelFormatException.class, () -> ModelFolder.open(dir)), index, "malformed JSON");
        Files.writeString(index, "{\"unet\": [\"diffusers\"]}");
        assertMessage(assertThrows(ModelFormatException.class, () -> ModelFolder.open(dir)), index, "'unet'",
                "[library, class]");
        Files.writeString(index, "[]");
        assertMessage(assertThrows(ModelFormatException.class, () -> ModelFolder.open(dir)), index, "JSON object");
    }

    @Test
    void missingComponentOrFileIsNamed() throws IOException {
        Files.writeString(dir.resolve("model_index.json"), """
                {"_class_name": "StableDiffusionPipeline", "unet": ["diffusers", "UNet2DConditionModel"],
                 "scheduler": ["diffusers", "PNDMScheduler"], "vae": ["diffusers", "AutoencoderKL"],
                 "safety_checker": [null, null]}
                """);
        Files.createDirectories(dir.resolve("scheduler"));
        Files.createDirectories(dir.resolve("vae"));
        ModelFolder model = ModelFolder.open(dir);
        assertMessage(assertThrows(ModelFormatException.class, () -> model.component("text_encoder")),
                dir.resolve("model_index.json"), "'text_encoder'");
        assertMessage(assertThrows(ModelFormatException.class, () -> model.config("safety_checker")),
                dir.resolve("model_index.json"), "'safety_checker'");
        assertMessage(assertThrows(ModelFormatException.class, () -> model.config("unet")), dir.resolve("unet"),
                "'unet'", "missing");
        assertMessage(assertThrows(ModelFormatException.class, () -> model.schedulerConfig()),
                dir.resolve("scheduler").resolve("scheduler_config.json"), "not found");
        assertMessage(assertThrows(ModelFormatException.class, () -> model.config("vae")),
                dir.resolve("vae").resolve("config.json"), "'vae'");
        assertMessage(assertThrows(ModelFormatException.class, () -> model.weights("vae")), dir.resolve("vae"),
                "diffusion_pytorch_model.safetensors");
        assertMessage(assertThrows(ModelFormatException.class, () -> model.tokenizerPath()),
                dir.resolve("model_index.json"), "'tokenizer'");
    }

    private static void assertMessage(Exception e, Path file, String... parts) {
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), () -> "message does not name " + file + ": " + message);
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message lacks '" + part + "': " + message);
        }
    }
}
