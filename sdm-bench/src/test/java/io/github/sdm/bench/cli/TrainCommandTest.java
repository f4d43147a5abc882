package io.github.sdm.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdm train}: its help, and its errors on bad input (the loop itself is tested in sdm-assembly). */
class TrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void helpNamesTheStagesAndOptions() {
        CliRunner.Result result = CliRunner.run("train", "--help");
        assertEquals(0, result.code());
        for (String expected : new String[] {"vae", "unet", "--data", "--out", "--steps", "--batch", "--lr", "--seed",
                "--resume", "--order", "per-emoji", "scripts/fetch-emoji"}) {
            assertTrue(result.out().contains(expected), expected + " in:\n" + result.out());
        }
    }

    @Test
    void aMissingDataFolderIsNamedWithTheFetchScript() {
        Path data = dir.resolve("no-emoji");
        CliRunner.Result result = CliRunner.run("train", "vae", "--data", data.toString(), "--out",
                dir.resolve("out").toString(), "--steps", "1");
        assertNotEquals(0, result.code());
        assertTrue(result.err().contains(data.toString()) && result.err().contains("scripts/fetch-emoji"),
                result.err());
    }

    @Test
    void aBadSettingIsNamed() {
        CliRunner.Result result = CliRunner.run("train", "vae", "--out", dir.toString(), "--steps", "0");
        assertNotEquals(0, result.code());
        assertTrue(result.err().contains("steps must be at least 1"), result.err());
    }

    @Test
    void anUnknownStageIsRefused() {
        CliRunner.Result result = CliRunner.run("train", "dit", "--out", dir.toString(), "--steps", "1");
        assertNotEquals(0, result.code());
        assertTrue(result.err().contains("vae, unet"), result.err());
    }

    @Test
    void aDataOrderIsCheckedBeforeAnyWork() {
        CliRunner.Result unknown = CliRunner.run("train", "unet", "--out", dir.toString(), "--steps", "1", "--order",
                "alphabetical");
        assertNotEquals(0, unknown.code());
        assertTrue(unknown.err().contains("'alphabetical' is not a data order: use shuffled or per-emoji"),
                unknown.err());
        CliRunner.Result vae = CliRunner.run("train", "vae", "--out", dir.toString(), "--steps", "1", "--order",
                "per-emoji");
        assertNotEquals(0, vae.code());
        assertTrue(vae.err().contains("--order per-emoji applies to the unet stage only"), vae.err());
    }
}
