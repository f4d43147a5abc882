package io.github.sdm.bench.cli;

import static io.github.sdm.bench.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.bench.cli.CliRunner.Result;
import io.github.sdm.core.image.PngFiles;
import io.github.sdm.core.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sdm bench}, {@code sdm bench unet} and {@code sdm generate} on the ONNX Runtime backend, with an ONNX export
 * of the tiny model.
 */
class OnnxBenchCommandTest {
    static final String EXPORT = Path.of("../sdm-unet/src/test/resources/fixtures/tiny-sd-onnx/optimum").toString();

    @Test
    void benchTimesEveryStageOnTheOnnxBackend() {
        Result r = run("bench", "--model", EXPORT, "--backend", "onnx", "--size", "64", "--steps", "2", "--warmup", "0",
                "--runs", "1");
        assertEquals(0, r.code(), r.err());
        for (String row : new String[] {"| text encoding", "| UNet, per call (2 calls)", "| VAE decode", "| end to end"}) {
            assertTrue(r.out().contains(row), "no row " + row + " in\n" + r.out());
        }
    }

    @Test
    void theUNetBenchTimesTheExportsUNetOnOnnx() {
        Result r = run("bench", "unet", "--model", EXPORT, "--backend", "onnx", "--sizes", "64,128", "--warmup", "0",
                "--runs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("## UNet call on the onnx backend"), r.out());
        assertTrue(r.out().contains("| 64x64 ") && r.out().contains("[2, 4, 8, 8]"), r.out());
        assertTrue(r.out().contains("| 128x128 ") && r.out().contains("[2, 4, 16, 16]"), r.out());
        assertEquals(4, r.err().lines().filter(l -> l.contains(" call ")).count(), r.err());
    }

    @Test
    void theUNetBenchTimesADiffusersFolderOnDjlAndOnBuiltGraphsInTurn() {
        Result r = run("bench", "unet", "--model", TestData.tinySd().toString(), "--backend", "djl,onnx", "--sizes",
                "64", "--warmup", "0", "--runs", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("## UNet call on the djl, onnx backends, in turn"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| 64x64 | djl ") && l.endsWith("1.00x |")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| 64x64 | onnx ")), r.out());
        assertEquals(2, r.err().lines().filter(l -> l.contains(" call ")).count(), r.err());
    }

    @Test
    void featureInheritanceRunsOnBuiltGraphs(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("cup.png");
        Result r = run("generate", "--model", TestData.tinySd().toString(), "--backend", "onnx", "--prompt", "a cup",
                "--steps", "4", "--width", "64", "--height", "64", "--seed", "1", "--cache", "block:2:interval=3",
                "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(PngFiles.readText(png).get("parameters").contains("Cache: block:2:interval=3"), r.out());
    }

    @Test
    void theUNetBenchOnABackendNeedsAModel() {
        Result r = run("bench", "unet", "--backend", "onnx", "--sizes", "64", "--warmup", "0", "--runs", "1");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--backend onnx needs --model"), r.err());
    }

    @Test
    void generateWritesAnImageFromAnExport(@TempDir Path dir) {
        Path image = dir.resolve("cup.png");
        Result r = run("generate", "--model", EXPORT, "--backend", "onnx", "--prompt", "a cup", "--steps", "2",
                "--width", "64", "--height", "64", "--seed", "1", "--out", image.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(image), r.out());
    }

    @Test
    void featureInheritanceOnAnExportIsRefusedNamingTheReason(@TempDir Path dir) {
        Result r = run("generate", "--model", EXPORT, "--prompt", "a cup", "--steps", "4", "--width", "64",
                "--height", "64", "--seed", "1", "--cache", "block:2:interval=3", "--out",
                dir.resolve("cup.png").toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("onnx backend cannot run the session extension") && r.err().contains("named parts"),
                r.err());
    }

    @Test
    void theDjlBackendNamesWhyItCannotLoadAnExport() {
        Result r = run("bench", "--model", EXPORT, "--backend", "djl", "--size", "64", "--steps", "2", "--warmup", "0",
                "--runs", "1");
        assertEquals(2, r.code(), r.out()); // an SdmException: its message, no stack trace
        assertTrue(r.err().contains("model.onnx, not safetensors"), r.err());
    }
}
