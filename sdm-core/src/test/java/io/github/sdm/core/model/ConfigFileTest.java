package io.github.sdm.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    private static final ConfigFile CONFIG = ConfigFile.parse("""
            {"mid_block_type": null, "name": "x", "heads": [5, 10], "flag": true, "eps": 1e-5,
             "low": -Infinity, "types": ["A", 3]}""", "unet/config.json");

    @Test
    void anExplicitNullIsAValueNotAbsence() {
        assertTrue(CONFIG.contains("mid_block_type"));
        assertTrue(CONFIG.isNull("mid_block_type"));
        assertFalse(CONFIG.has("mid_block_type"));

        assertFalse(CONFIG.contains("absent"));
        assertFalse(CONFIG.isNull("absent"));
        assertFalse(CONFIG.has("absent"));

        assertTrue(CONFIG.contains("name") && CONFIG.has("name"));
        assertFalse(CONFIG.isNull("name"));
        // accessors with a default take it for both, as diffusers reads None as "use the default"
        assertEquals("d", CONFIG.string("mid_block_type", "d"));
        assertEquals("d", CONFIG.string("absent", "d"));
        assertNull(CONFIG.string("absent", null));
        // accessors without one reject both, saying which it was
        assertMessage("unet/config.json: 'mid_block_type' = null: a value is required",
                () -> CONFIG.string("mid_block_type"));
        assertMessage("unet/config.json: required key 'absent' is missing", () -> CONFIG.string("absent"));
    }

    @Test
    void everyErrorNamesTheSourceTheKeyAndTheValue() {
        assertMessage("unet/config.json: 'name' = \"x\": expected an integer", () -> CONFIG.integer("name"));
        assertMessage("unet/config.json: 'name' = \"x\": expected a number", () -> CONFIG.number("name"));
        assertMessage("unet/config.json: 'heads' = [5,10]: expected true or false", () -> CONFIG.bool("heads"));
        assertMessage("unet/config.json: 'flag' = true: expected a string", () -> CONFIG.string("flag"));
        assertMessage("unet/config.json: 'eps' = 1e-5: expected an integer", () -> CONFIG.integer("eps", 1));
        assertMessage("unet/config.json: 'name' = \"x\": expected a list", () -> CONFIG.integers("name"));
        assertMessage("unet/config.json: 'types[1]' = 3: expected a string", () -> CONFIG.strings("types"));
        assertMessage("unet/config.json: 'heads' = [5,10]: holds 2 values, expected 3",
                () -> CONFIG.integersOrRepeated("heads", 3));
        assertEquals("unet/config.json: 'flag' = true: not supported", CONFIG.invalid("flag", "not supported")
                .getMessage());
        assertEquals("unet/config.json: 'absent' (absent): needed", CONFIG.invalid("absent", "needed").getMessage());
        assertEquals("unet/config.json: two keys disagree", CONFIG.error("two keys disagree").getMessage());
        assertEquals("a.json: 'k' = [1, 2]: why", ConfigFile.invalidValue("a.json", "k", List.of(1, 2), "why")
                .getMessage());
    }

    @Test
    void readsTypedValuesIncludingPythonInfinity() {
        assertEquals(Double.NEGATIVE_INFINITY, CONFIG.number("low"));
        assertEquals(1e-5, CONFIG.number("eps"));
        assertArrayEquals(new int[] {5, 10}, CONFIG.integers("heads"));
        assertTrue(CONFIG.isList("heads"));
        assertFalse(CONFIG.isList("name"));
        assertEquals("unet/config.json", CONFIG.source());
        assertNull(CONFIG.path());
    }

    @Test
    void aFileIsNamedByItsPath(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"a\": \"b\"}");
        ConfigFile config = ConfigFile.read(file);
        assertEquals(file, config.path());
        assertMessage(file + ": 'a' = \"b\": expected an integer", () -> config.integer("a"));
        assertMessage(dir.resolve("none.json") + ": config file not found",
                () -> ConfigFile.read(dir.resolve("none.json")));
        Files.writeString(file, "{\"a\": ");
        assertMessage(file + ": malformed JSON at line 1, column 7: the text ends too early",
                () -> ConfigFile.read(file));
        assertMessage("text: expected a JSON object", () -> ConfigFile.parse("[1]", "text"));
    }

    private static void assertMessage(String expected, Runnable call) {
        assertEquals(expected, assertThrows(ModelFormatException.class, call::run).getMessage());
    }
}
