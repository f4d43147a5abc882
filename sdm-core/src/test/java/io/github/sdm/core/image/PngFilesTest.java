package io.github.sdm.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.testkit.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngFilesTest {
    private static final String PARAMETERS = "a photo of a cat\nNegative prompt: blurry, lowres\n"
            + "Steps: 20, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 64x64, Model: tiny-sd-pipe";

    @TempDir
    Path dir;

    @Test
    void writesParametersAsATextChunkAndReadsThemBack() throws IOException {
        BufferedImage image = PngFiles.read(TestData.fixture("images/source-61x47.png"));
        Path png = dir.resolve("out.png");
        PngFiles.write(image, png, PARAMETERS);
        assertEquals(Map.of("parameters", PARAMETERS), PngFiles.readText(png));
        assertArrayEquals(ImageTensors.rgbPixels(image), ImageTensors.rgbPixels(PngFiles.read(png)));
        byte[] bytes = Files.readAllBytes(png);
        String raw = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(raw.contains("tEXtparameters\0a photo of a cat\nNegative prompt"), "a plain tEXt chunk");
    }

    @Test
    void textLatin1CannotHoldGoesToAnInternationalChunk() {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Path png = dir.resolve("unicode.png");
        Map<String, String> text = new LinkedHashMap<>();
        text.put("parameters", "東京タワー, café, 😀\nSteps: 4");
        text.put("Software", "sdm");
        PngFiles.write(image, png, text);
        assertEquals(text, PngFiles.readText(png));
    }

    @Test
    void overwritesALargerFileCompletely() throws IOException {
        Path png = dir.resolve("again.png");
        Files.write(png, new byte[100_000]);
        PngFiles.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), png, (String) null);
        assertTrue(Files.size(png) < 1000, "old bytes left behind: " + Files.size(png));
        assertEquals(Map.of(), PngFiles.readText(png));
    }

    @Test
    void errorsNameTheFileOrKeyword() throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Path png = dir.resolve("x.png");
        SdmException e = assertThrows(SdmException.class, () -> PngFiles.write(image, png, Map.of(" bad", "v")));
        assertTrue(e.getMessage().contains("' bad'"), e.getMessage());
        Path missing = dir.resolve("missing.png");
        e = assertThrows(SdmException.class, () -> PngFiles.readText(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        e = assertThrows(SdmException.class, () -> PngFiles.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path notImage = Files.writeString(dir.resolve("notes.png"), "not an image");
        e = assertThrows(SdmException.class, () -> PngFiles.read(notImage));
        assertTrue(e.getMessage().contains(notImage.toString()), e.getMessage());
        e = assertThrows(SdmException.class, () -> PngFiles.readText(notImage));
        assertTrue(e.getMessage().contains(notImage.toString()), e.getMessage());
    }

    @Test
    void aTruncatedImageIsReportedAsDamaged() throws IOException {
        byte[] whole = Files.readAllBytes(TestData.fixture("images/source-61x47.png"));
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(whole, whole.length / 2));
        SdmException e = assertThrows(SdmException.class, () -> PngFiles.read(cut));
        assertTrue(e.getMessage().startsWith(cut + " is damaged or truncated: its image data cannot be decoded"),
                e.getMessage());
    }
}
