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

    /** --condconv: the named resnets become ME-CondConv ones, and the student loads and generates. */
    @Test
    void condConvMakesTheNamedResnetsConditional() throws Exception {
        Path out = dir.resolve("condconv");
        CliRunner.Result result = CliRunner.run("assemble", "--from", TestData.tinySd().toString(),
                "--preset", "bk-small", "--out", out.toString(), "--condconv", "2", "--condconv-resnets",
                "down_blocks.3");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("down_blocks.3.resnets.0.conv1: ME-CondConv, 2 experts: the kept convolution, "
                + "down_blocks.3.resnets.1.conv1"), result.out());
        assertTrue(result.out().contains("UNet parameters with ME-CondConv (float32)"), result.out());
        String config = java.nio.file.Files.readString(out.resolve("unet/config.json"));
        assertTrue(config.replaceAll("\\s", "").contains("\"sdm_condconv\":{\"experts\":2,\"resnets\":[\"down_blocks.3\"]}"),
                config);
        CliRunner.Result generated = CliRunner.run("generate", "--model", out.toString(), "--prompt", "x", "--steps",
                "2", "--out", dir.resolve("x.png").toString());
        assertEquals(0, generated.code(), generated.err());

        CliRunner.Result alone = CliRunner.run("assemble", "--from", TestData.tinySd().toString(), "--preset",
                "bk-small", "--out", dir.resolve("y").toString(), "--condconv", "2");
        assertTrue(alone.err().contains("--condconv needs --condconv-resnets"), alone.err());
        CliRunner.Result one = CliRunner.run("assemble", "--from", TestData.tinySd().toString(), "--preset",
                "bk-small", "--out", dir.resolve("z").toString(), "--condconv", "1", "--condconv-resnets", "up_blocks.0");
        assertTrue(one.err().contains("--condconv 1: an ME-CondConv convolution needs at least 2 experts"), one.err());
        CliRunner.Result none = CliRunner.run("assemble", "--from", TestData.tinySd().toString(), "--preset",
                "bk-small", "--out", dir.resolve("w").toString(), "--condconv", "2", "--condconv-resnets", "mid_block");
        assertTrue(none.err().contains("--condconv-resnets: sdm_condconv resnets [mid_block] name no resnet"),
                none.err());
    }

    @Test
    void badRemovalIsRefusedNamingThePart() {
        CliRunner.Result result = CliRunner.run("assemble", "--from", TestData.tinySd().toString(),
                "--remove", "down_blocks.9.layers.0", "--out", dir.resolve("x").toString());
        assertNotEquals(0, result.code());
        assertTrue(result.err().contains("--remove: removal 'down_blocks.9.layers.0'"), result.err());
    }

    /** Students timed against their teacher in one run: the teacher's row is 1.00x; FLOP ratios are exact counts. */
    @Test
    void studentsAreTimedAgainstTheirTeacherInOneRun() {
        Path small = dir.resolve("small");
        Path tiny = dir.resolve("tiny");
        assertEquals(0, CliRunner.run("assemble", "--from", TestData.tinySd().toString(), "--preset", "bk-small",
                "--out", small.toString()).code());
        assertEquals(0, CliRunner.run("assemble", "--from", TestData.tinySd().toString(), "--preset", "bk-tiny",
                "--out", tiny.toString()).code());
        CliRunner.Result result = CliRunner.run("bench", "unet", "--model", TestData.tinySd().toString(), "--compare",
                small + "," + tiny, "--sizes", "64", "--warmup", "0", "--runs", "2");
        assertEquals(0, result.code(), result.err());
        List<String> rows = result.out().lines().filter(l -> l.startsWith("| ") && l.contains("unet")).toList();
        assertEquals(3, rows.size(), result.out());
        assertTrue(rows.get(0).contains("|      1.00x |"), rows.get(0));
        assertTrue(rows.get(1).contains(small.resolve("unet").toString()), rows.get(1));
        assertEquals(2, result.err().lines().filter(l -> l.startsWith("round ")).count(), result.err());
        CliRunner.Result noModel = CliRunner.run("bench", "unet", "--compare", small.toString(), "--sizes", "64");
        assertNotEquals(0, noModel.code());
        assertTrue(noModel.err().contains("--compare needs --model"), noModel.err());
    }
}
