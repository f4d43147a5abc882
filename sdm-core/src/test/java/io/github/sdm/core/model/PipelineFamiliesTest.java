package io.github.sdm.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.error.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Folders are recognised by {@code model_index.json}'s {@code _class_name}; other families fail at load. */
class PipelineFamiliesTest {
    @TempDir
    Path dir;

    private Path folderOf(String indexJson) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("model"));
        Files.writeString(folder.resolve(ModelFolder.MODEL_INDEX), indexJson);
        return folder;
    }

    @ParameterizedTest
    @ValueSource(strings = {"StableDiffusionPipeline", "StableDiffusionImg2ImgPipeline"})
    void stableDiffusionFoldersAreSafetensorsFamilies(String className) throws IOException {
        PipelineFamily family = PipelineFamilies.of(ModelFolder.open(folderOf("{\"_class_name\": \"" + className + "\"}")));
        assertEquals(className, family.className());
        assertEquals(PipelineFamily.NetworkFormat.SAFETENSORS, family.networkFormat());
    }

    @Test
    void onnxExportsAreAFamilyOfOnnxNetworks() throws IOException {
        PipelineFamily family = PipelineFamilies.of(ModelFolder.open(
                folderOf("{\"_class_name\": \"OnnxStableDiffusionPipeline\"}")));
        assertEquals(PipelineFamily.NetworkFormat.ONNX, family.networkFormat());
    }

    /** Refused before any config is read, naming the class and the supported ones. */
    @ParameterizedTest
    @ValueSource(strings = {"StableDiffusionXLPipeline", "StableDiffusionInpaintPipeline", "KandinskyPipeline"})
    void otherFamiliesFailAtLoadNamingTheClassAndWhatIsSupported(String className) throws IOException {
        Path folder = folderOf("{\"_class_name\": \"" + className + "\", \"unet\": [\"diffusers\", \"UNet2DConditionModel\"]}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> StableDiffusion.load(folder));
        assertTrue(e.getMessage().contains("'" + className + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("StableDiffusionPipeline") && e.getMessage().contains("supported"),
                e.getMessage());
    }

    @Test
    void aFolderWithoutClassNameIsNamed() throws IOException {
        Path folder = folderOf("{\"unet\": [\"diffusers\", \"UNet2DConditionModel\"]}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> StableDiffusion.load(folder));
        assertTrue(e.getMessage().contains("_class_name") && e.getMessage().contains(folder.toString()),
                e.getMessage());
    }
}
