package io.github.sdm.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ConfigFile;
import io.github.sdm.core.model.ModelFolder;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.core.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A damaged JSON file of a model is named with the line and column at fault, in plain words. */
class JsonFilesTest {
    @TempDir
    Path dir;

    @Test
    void aMissingColonIsNamedWithItsLineAndColumn() throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\n  \"in_channels\": 4,\n  \"sample_size\" 64\n}\n");
        assertMessage(file + ": malformed JSON at line 3, column 18: expected ':'",
                () -> ConfigFile.read(file));
    }

    @Test
    void anUnterminatedObjectIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"a\": 1, \"b\": 2");
        assertMessage(file + ": malformed JSON at line 1, column 16: the text ends too early",
                () -> ConfigFile.read(file));
    }

    @Test
    void textAfterTheValueIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"a\": 1}\n}");
        assertMessage(file + ": malformed JSON at line 2, column 1: more text follows the JSON value",
                () -> ConfigFile.read(file));
    }

    @Test
    void noMessageNamesGsonOrItsTroubleshootingPage() throws IOException {
        String[] damaged = {"{\"a\": [1, 2}", "{\"a\" 1}", "{,}", "{\"a\": \"b", 
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["};
        for (String text : damaged) {
            Path file = Files.writeString(dir.resolve("config.json"), text);
            String message = assertThrows(ModelFormatException.class, () -> ConfigFile.read(file)).getMessage();
            assertEquals(true, message.startsWith(file + ": malformed JSON"), message);
            assertEquals(false, message.contains("gson") || message.contains("http") || message.contains("Json"),
                    text + " gave: " + message);
        }
    }

    @Test
    void theModelIndexIsNamed() throws IOException {
        Path index = Files.writeString(dir.resolve("model_index.json"), "{\"unet\": [\"diffusers\" \"UNet2DConditionModel\"]}");
        assertMessage(index + ": malformed JSON at line 1, column 24: unterminated array",
                () -> ModelFolder.open(dir));
    }

    @Test
    void theTokenizerVocabularyIsNamed() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("tokenizer"));
        Files.copy(TestData.fixture("clip-tokenizer").resolve("merges.txt"), folder.resolve("merges.txt"));
        Path vocab = Files.writeString(folder.resolve("vocab.json"), "{\"a</w>\": 0,\n \"b</w>\": }");
        assertMessage(vocab + ": malformed JSON at line 2, column 11: expected a value",
                () -> ClipTokenizer.load(folder));
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(ModelFormatException.class, call).getMessage());
    }
}
