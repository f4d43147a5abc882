package io.github.sdm.bench.cli;

import static io.github.sdm.bench.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.bench.cli.CliRunner.Result;
import io.github.sdm.core.image.PngFiles;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.core.testkit.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdm generate} end to end: a diffusers reference case reproduced from the command line, and its errors. */
class GenerateCommandTest {
    static final String MODEL = TestData.tinySd().toString();
    static final Path REFERENCE = Path.of("../sdm-unet/src/test/resources/fixtures/tiny-sd-pipe/reference.safetensors");

    @Test
    void reproducesTheDiffusersReferenceFromRecordedLatents(@TempDir Path dir) {
        Path init = dir.resolve("init.safetensors");
        Path saved = dir.resolve("final.safetensors");
        Path png = dir.resolve("apple.png");
        float[] expected;
        try (SafetensorsFile reference = SafetensorsFile.open(REFERENCE)) {
            SafetensorsWriter.write(init, List.of(TensorSource.ofFloats("latents", DType.F32,
                    reference.floats("t2i.0.initial_latents"), 1, 4, 8, 8)));
            expected = reference.floats("t2i.0.final_latents");
        }
        // case t2i.0 of reference.json
        Result r = run("generate", "--model", MODEL, "--prompt", "a red apple on a table", "--steps", "10",
                "--guidance", "7.5", "--sampler", "dpmpp_2m", "--width", "64", "--height", "64",
                "--init-latents", init.toString(), "--save-latents", saved.toString(), "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        try (SafetensorsFile out = SafetensorsFile.open(saved)) {
            float[] actual = out.floats("latents");
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            assertTrue(worst <= 1e-3, "final latents differ from diffusers by " + worst);
        }
        String parameters = PngFiles.readText(png).get("parameters");
        assertTrue(parameters.startsWith("a red apple on a table"), parameters);
        assertTrue(parameters.contains("Sampler: dpmpp_2m"), parameters);
    }

    @Test
    void batchesAreWrittenAsNumberedFiles(@TempDir Path dir) {
        Result r = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "2", "--batch", "2", "--seed", "5",
                "--out", dir.resolve("img.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("img-0.png")) && Files.exists(dir.resolve("img-1.png")));
        assertTrue(r.out().contains("seed 5"), r.out());
    }

    @Test
    void cacheSelectsFeatureInheritanceAndIsRecordedInThePng(@TempDir Path dir) {
        Path plain = dir.resolve("plain.safetensors");
        Path cached = dir.resolve("cached.safetensors");
        Path png = dir.resolve("c.png");
        Result a = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "6", "--seed", "8",
                "--save-latents", plain.toString(), "--out", dir.resolve("p.png").toString());
        Result b = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "6", "--seed", "8", "--cache",
                "deepcache", "--save-latents", cached.toString(), "--out", png.toString());
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        try (SafetensorsFile p = SafetensorsFile.open(plain); SafetensorsFile c = SafetensorsFile.open(cached)) {
            assertTrue(!java.util.Arrays.equals(p.floats("latents"), c.floats("latents")), "deepcache reuses features");
        }
        assertTrue(PngFiles.readText(png).get("parameters").contains("Cache: block:2:interval=3"));

        Result bad = run("generate", "--model", MODEL, "--prompt", "x", "--cache", "block:2:interval=zero",
                "--out", dir.resolve("bad.png").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("interval 'zero'") && !bad.err().contains("\tat "), bad.err());
    }

    @Test
    void helpListsEveryOption() {
        Result r = run("generate", "--help");
        assertEquals(0, r.code());
        for (String option : List.of("--model", "--prompt", "--negative", "--steps", "--guidance", "--sampler", "--seed",
                "--width", "--height", "--init-image", "--strength", "--batch", "--out", "--init-latents",
                "--save-latents", "--cache", "deepcache-fast", "block:2:interval=3")) {
            assertTrue(r.out().contains(option), "help lacks " + option);
        }
        for (String sampler : io.github.sdm.samplers.Samplers.names()) {
            assertTrue(r.out().contains(sampler), "help lacks sampler " + sampler);
        }
    }

    @Test
    void badInputIsAOneLineErrorNamingTheValue(@TempDir Path dir) {
        Result size = run("generate", "--model", MODEL, "--prompt", "x", "--width", "100",
                "--out", dir.resolve("a.png").toString());
        assertEquals(2, size.code());
        assertTrue(size.err().contains("width") && size.err().contains("100"), size.err());
        assertTrue(!size.err().contains("\tat "), "no stack trace: " + size.err());

        Result model = run("generate", "--model", dir.resolve("nothing").toString(), "--prompt", "x");
        assertEquals(2, model.code());
        assertTrue(model.err().contains("nothing"), model.err());

        Result sampler = run("generate", "--model", MODEL, "--prompt", "x", "--sampler", "warp",
                "--out", dir.resolve("b.png").toString());
        assertEquals(2, sampler.code());
        assertTrue(sampler.err().contains("warp") && sampler.err().contains("dpmpp_2m"), sampler.err());

        Result image = run("generate", "--model", MODEL, "--prompt", "x", "--init-image", dir.resolve("no.png").toString());
        assertEquals(2, image.code());
        assertTrue(image.err().contains("no.png"), image.err());
    }
}
