package io.github.sdm.bench.cli;

import static io.github.sdm.bench.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.bench.cli.CliRunner.Result;
import io.github.sdm.core.GenerationRequest;
import io.github.sdm.core.Mode;
import io.github.sdm.core.image.PngFiles;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.core.testkit.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sdm generate} end to end: a diffusers reference case reproduced from the command line, and its errors. */
class GenerateCommandTest {
    static final String MODEL = TestData.tinySd().toString();
    static final Path TAESD = Path.of("../sdm-unet/src/test/resources/fixtures/taesd");
    static final Path LORA = Path.of("../sdm-unet/src/test/resources/fixtures/tiny-lora");
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
    void theBackendIsChosenByName(@TempDir Path dir) {
        Result djl = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "2", "--seed", "1",
                "--backend", "djl", "--out", dir.resolve("a.png").toString());
        assertEquals(0, djl.code(), djl.err());
        Result unknown = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "2", "--backend", "tensorrt",
                "--out", dir.resolve("b.png").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("'tensorrt'") && unknown.err().contains("[djl, onnx]"), unknown.err());
    }

    @Test
    void weightsAndComputePrecisionAreLoadOptions(@TempDir Path dir) {
        Result plain = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "2", "--seed", "3",
                "--out", dir.resolve("plain.png").toString());
        assertEquals(0, plain.code(), plain.err());
        for (String[] variant : new String[][] {{"--weights", "fp16"}, {"--weights", "int8"}, {"--compute", "fp16"}}) {
            Path png = dir.resolve(variant[1] + ".png");
            Result r = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "2", "--seed", "3", variant[0],
                    variant[1], "--out", png.toString());
            assertEquals(0, r.code(), r.err());
            // a different precision gives a (slightly) different picture: the option reached the networks
            assertTrue(!Arrays.equals(pixels(dir.resolve("plain.png")), pixels(png)), String.join(" ", variant));
        }
        Result bad = run("generate", "--model", MODEL, "--prompt", "x", "--weights", "fp8",
                "--out", dir.resolve("bad.png").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--weights: expected fp32, fp16, bf16 or int8, got 'fp8'"), bad.err());
        Result int8Compute = run("generate", "--model", MODEL, "--prompt", "x", "--compute", "int8",
                "--out", dir.resolve("bad.png").toString());
        assertEquals(2, int8Compute.code(), int8Compute.err());
        assertTrue(int8Compute.err().contains("--compute: expected fp32, fp16 or bf16, got 'int8'"), int8Compute.err());
        Result bf16 = run("generate", "--model", MODEL, "--prompt", "x", "--weights", "bf16",
                "--out", dir.resolve("bad.png").toString());
        assertEquals(2, bf16.code(), bf16.err());
        assertTrue(bf16.err().contains("weightPrecision BF16 does not run on the djl backend"), bf16.err());
    }

    @Test
    void clipSkipChangesTheImageAndIsRecordedInThePng(@TempDir Path dir) {
        Path last = dir.resolve("last.safetensors");
        Path skipped = dir.resolve("skipped.safetensors");
        Path png = dir.resolve("s.png");
        Result a = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "2", "--seed", "4",
                "--save-latents", last.toString(), "--out", dir.resolve("l.png").toString());
        Result b = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "2", "--seed", "4", "--clip-skip", "2",
                "--save-latents", skipped.toString(), "--out", png.toString());
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        try (SafetensorsFile l = SafetensorsFile.open(last); SafetensorsFile s = SafetensorsFile.open(skipped)) {
            assertTrue(!java.util.Arrays.equals(l.floats("latents"), s.floats("latents")), "another text layer");
        }
        assertTrue(PngFiles.readText(png).get("parameters").contains("Clip skip: 2"));
        Result bad = run("generate", "--model", MODEL, "--prompt", "x", "--clip-skip", "9",
                "--out", dir.resolve("bad.png").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("clip skip 9"), bad.err());
    }

    /** Case lora.0 of fixtures/tiny-lora: the kohya file (LoCon included) at 0.8, merged at load. */
    @Test
    void loraReproducesTheDiffusersReferenceAndIsRecordedInThePng(@TempDir Path dir) {
        Path init = dir.resolve("init.safetensors");
        Path saved = dir.resolve("final.safetensors");
        Path png = dir.resolve("lora.png");
        float[] expected;
        try (SafetensorsFile reference = SafetensorsFile.open(LORA.resolve("reference.safetensors"))) {
            SafetensorsWriter.write(init, List.of(TensorSource.ofFloats("latents", DType.F32,
                    reference.floats("lora.0.initial_latents"), 1, 4, 8, 8)));
            expected = reference.floats("lora.0.final_latents");
        }
        Result r = run("generate", "--model", MODEL, "--prompt", "a red apple on a table", "--steps", "8",
                "--guidance", "7.5", "--sampler", "dpmpp_2m", "--width", "64", "--height", "64",
                "--lora", LORA.resolve("kohya.safetensors") + ":0.8", "--init-latents", init.toString(),
                "--save-latents", saved.toString(), "--out", png.toString());
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
        assertTrue(parameters.contains("Lora: \"kohya.safetensors:0.8\""), parameters);

        Result missing = run("generate", "--model", MODEL, "--prompt", "x", "--lora", "nowhere.safetensors:0.5",
                "--out", dir.resolve("bad.png").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--lora nowhere.safetensors:0.5"), missing.err());
    }

    @Test
    void aTaesdFolderGivenWithVaeDecodesTheImage(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("tiny.png");
        Result r = run("generate", "--model", MODEL, "--vae", TAESD.toString(), "--prompt", "a red apple",
                "--steps", "2", "--sampler", "ddim", "--seed", "1", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(64, PngFiles.read(png).getWidth());

        Result missing = run("generate", "--model", MODEL, "--vae", dir.resolve("no-vae").toString(), "--prompt", "x",
                "--out", png.toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("no-vae"), missing.err());
    }

    @Test
    void vaeTilingTakesAutoOnOrOffAndTheBareFlagTurnsItOn(@TempDir Path dir) {
        Path png = dir.resolve("tiled.png");
        // 64x64 is one tile of the tiny VAE: on, the image is the plain one
        Result plain = run("generate", "--model", MODEL, "--prompt", "a red apple", "--steps", "2", "--sampler", "ddim",
                "--seed", "1", "--out", dir.resolve("plain.png").toString());
        Result tiled = run("generate", "--model", MODEL, "--vae-tiling", "--prompt", "a red apple", "--steps", "2",
                "--sampler", "ddim", "--seed", "1", "--out", png.toString());
        assertEquals(0, plain.code(), plain.err());
        assertEquals(0, tiled.code(), tiled.err());
        assertTrue(Arrays.equals(pixels(dir.resolve("plain.png")), pixels(png)));

        Result bad = run("generate", "--model", MODEL, "--vae-tiling=sometimes", "--prompt", "x",
                "--out", png.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--vae-tiling: expected auto, on or off, got 'sometimes'"), bad.err());
        Result taesd = run("generate", "--model", MODEL, "--vae", TAESD.toString(), "--vae-tiling=ON", "--prompt", "x",
                "--out", png.toString());
        assertTrue(taesd.code() != 0 && taesd.err().contains("AutoencoderTiny"), taesd.err());
    }

    @Test
    void perStageResidencyDrawsTheResidentImage(@TempDir Path dir) {
        Path resident = dir.resolve("resident.png");
        Path perStage = dir.resolve("per-stage.png");
        Result plain = run("generate", "--model", MODEL, "--prompt", "a red apple", "--steps", "2", "--sampler", "ddim",
                "--seed", "1", "--out", resident.toString());
        Result staged = run("generate", "--model", MODEL, "--residency", "per-stage", "--prompt", "a red apple",
                "--steps", "2", "--sampler", "ddim", "--seed", "1", "--out", perStage.toString());
        assertEquals(0, plain.code(), plain.err());
        assertEquals(0, staged.code(), staged.err());
        assertTrue(Arrays.equals(pixels(resident), pixels(perStage)));
        Result bad = run("generate", "--model", MODEL, "--residency", "sometimes", "--prompt", "x",
                "--out", perStage.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--residency: expected resident or per-stage, got 'sometimes'"), bad.err());
    }

    private static int[] pixels(Path png) {
        BufferedImage image = PngFiles.read(png);
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    @Test
    void studentAndSwitchRunTwoUNetsInOneGenerationAndAreRecordedInThePng(@TempDir Path dir) {
        Path student = dir.resolve("student");
        assertEquals(0, run("assemble", "--from", MODEL, "--preset", "bk-small", "--out", student.toString()).code());
        Path plain = dir.resolve("plain.safetensors");
        Path switched = dir.resolve("switched.safetensors");
        Path png = dir.resolve("s.png");
        Result a = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "4", "--seed", "8",
                "--save-latents", plain.toString(), "--out", dir.resolve("p.png").toString());
        Result b = run("generate", "--model", MODEL, "--prompt", "x", "--steps", "4", "--seed", "8",
                "--student", student.toString(), "--switch", "0.4", "--save-latents", switched.toString(),
                "--out", png.toString());
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        try (SafetensorsFile p = SafetensorsFile.open(plain); SafetensorsFile s = SafetensorsFile.open(switched)) {
            assertTrue(!java.util.Arrays.equals(p.floats("latents"), s.floats("latents")), "the student ran");
        }
        assertTrue(PngFiles.readText(png).get("parameters").contains("Switch: " + student + " at 0.4"));

        Result alone = run("generate", "--model", MODEL, "--prompt", "x", "--switch", "0.4",
                "--out", dir.resolve("bad.png").toString());
        assertEquals(2, alone.code());
        assertTrue(alone.err().contains("--switch needs --student"), alone.err());
        Result bad = run("generate", "--model", MODEL, "--prompt", "x", "--student", student.toString(),
                "--switch", "2", "--out", dir.resolve("bad.png").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--switch: switch fraction must be between 0 and 1, got 2.0"), bad.err());
    }

    @Test
    void helpListsEveryOption() {
        Result r = run("generate", "--help");
        assertEquals(0, r.code());
        for (String option : List.of("--model", "--prompt", "--negative", "--steps", "--guidance", "--sampler", "--seed",
                "--width", "--height", "--init-image", "--strength", "--batch", "--out", "--init-latents",
                "--save-latents", "--cache", "--backend", "--vae", "--vae-tiling", "--residency", "--clip-skip", "--student", "--switch", "deepcache-fast", "block:2:interval=3")) {
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

    /** The command line and the API take the same number of steps when none is given (they used to differ: 20, 50). */
    @Test
    void theDefaultStepsAreTheApisDefault(@TempDir Path dir) {
        Result r = run("generate", "--model", MODEL, "--prompt", "x", "--seed", "1", "--out",
                dir.resolve("d.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("seed 1, 50 steps in"), r.out());
        assertEquals(50, GenerationRequest.builder(Mode.TXT2IMG, "x").build().steps());
    }

    /** A path that cannot be written fails before the model loads: here the model does not even exist. */
    @Test
    void anUnwritableOutputFailsBeforeTheLoad(@TempDir Path dir) {
        String noModel = dir.resolve("no-model").toString();
        Path missing = dir.resolve("missing");
        Result out = run("generate", "--model", noModel, "--prompt", "x", "--out", missing.resolve("a.png").toString());
        assertEquals(2, out.code(), out.err());
        assertEquals("error: --out: the folder " + missing + " of " + missing.resolve("a.png") + " does not exist",
                out.err().strip());
        Result latents = run("generate", "--model", noModel, "--prompt", "x", "--out", dir.resolve("a.png").toString(),
                "--save-latents", missing.resolve("l.safetensors").toString());
        assertEquals(2, latents.code(), latents.err());
        assertEquals("error: --save-latents: the folder " + missing + " of " + missing.resolve("l.safetensors")
                + " does not exist", latents.err().strip());
        Result batch = run("generate", "--model", noModel, "--prompt", "x", "--batch", "2",
                "--out", missing.resolve("b.png").toString());
        assertTrue(batch.err().startsWith("error: --out: the folder " + missing + " of "), batch.err());
        Result webp = run("generate", "--model", noModel, "--prompt", "x", "--out", dir.resolve("a.webp").toString());
        assertEquals("error: --out: " + dir.resolve("a.webp") + " has no image extension sdm writes: end it in .png "
                + "(settings kept as PNG text) or .jpg/.jpeg (settings kept as a JPEG comment)", webp.err().strip());
    }

    /** {@code --out x.jpg} writes a JPEG (it used to write PNG bytes), with the settings in its comment segment. */
    @Test
    void aJpgOutputIsAJpegWithTheSettingsInItsComment(@TempDir Path dir) throws IOException {
        Path jpg = dir.resolve("apple.jpg");
        Result r = run("generate", "--model", MODEL, "--prompt", "a red äpple", "--steps", "2", "--seed", "4",
                "--out", jpg.toString());
        assertEquals(0, r.code(), r.err());
        byte[] bytes = Files.readAllBytes(jpg);
        assertEquals(List.of(0xFF, 0xD8, 0xFF), List.of(bytes[0] & 0xFF, bytes[1] & 0xFF, bytes[2] & 0xFF), "JPEG start");
        try (ImageInputStream in = ImageIO.createImageInputStream(jpg.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals("jpeg", reader.getFormatName().toLowerCase(java.util.Locale.ROOT));
            assertEquals(64, reader.getWidth(0));
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
            IIOMetadataNode comment = (IIOMetadataNode) root.getElementsByTagName("com").item(0);
            String settings = new String((byte[]) comment.getUserObject(), StandardCharsets.UTF_8);
            assertTrue(settings.startsWith("a red äpple\nNegative prompt: \nSteps: 2, Sampler: dpmpp_2m"), settings);
            reader.dispose();
        }
    }

    @Test
    void aMistypedSamplerOptionIsAOneLineError(@TempDir Path dir) {
        Result r = run("generate", "--model", MODEL, "--prompt", "x", "--out", dir.resolve("o.png").toString(),
                "--sampler-option", "use_karas_sigmas=true");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: --sampler-option: sampler setting 'use_karas_sigmas' = true: no sampler has"
                + " this setting; did you mean use_karras_sigmas? known settings: "), r.err());
        r = run("generate", "--model", MODEL, "--prompt", "x", "--out", dir.resolve("o.png").toString(),
                "--sampler-option", "use_karras_sigmas=yes");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'use_karras_sigmas' = \"yes\": must be true or false"), r.err());
    }

    /** Strength 0 passes the request check, as the docs allow; the sampler then says what strength is needed. */
    @Test
    void aStrengthThatLeavesNoStepNamesTheSmallestThatWorks(@TempDir Path dir) {
        Path png = dir.resolve("init.png");
        PngFiles.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), png, (String) null);
        Result r = run("generate", "--model", MODEL, "--prompt", "x", "--init-image", png.toString(), "--strength", "0",
                "--steps", "20", "--out", dir.resolve("out.png").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("error: strength 0.0 with 20 steps leaves no denoising step; use at least 0.05", r.err().strip());
    }

    @Test
    void aTruncatedInitImageIsAOneLineError(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("whole.png");
        BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int i = 0; i < 64 * 64; i++) {
            noise.setRGB(i % 64, i / 64, random.nextInt());
        }
        PngFiles.write(noise, png, (String) null);
        byte[] whole = Files.readAllBytes(png);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(whole, whole.length / 2));
        Result r = run("generate", "--model", MODEL, "--prompt", "x", "--init-image", cut.toString(),
                "--out", dir.resolve("out.png").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: --init-image: " + cut + " is damaged or truncated"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
