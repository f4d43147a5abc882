package io.github.sdm.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.UNetConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssembleCommandTest {
    @TempDir
    Path dir;

    @Test
    void presetWritesAStudentFolder() {
        Path out = dir.resolve("small");
        CliRunner.Result result = CliRunner.run("assemble", "--from", TestData.tinySd().toString(),
                "--preset", "bk-small", "--out", out.toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("layers_per_block [1, 1, 1, 1], no mid block"), result.out());
        UNetConfig student = UNetConfig.read(out.resolve("unet/config.json"));
        assertEquals(List.of(1, 1, 1, 1), student.layersPerBlock());
        assertTrue(out.resolve("vae/config.json").toFile().isFile() && out.resolve("model_index.json").toFile().isFile());
    }

    @Test
    void badRemovalIsRefusedNamingThePart() {
        CliRunner.Result result = CliRunner.run("assemble", "--from", TestData.tinySd().toString(),
                "--remove", "down_blocks.9.layers.0", "--out", dir.resolve("x").toString());
        assertNotEquals(0, result.code());
        assertTrue(result.err().contains("--remove: removal 'down_blocks.9.layers.0'"), result.err());
    }
}
