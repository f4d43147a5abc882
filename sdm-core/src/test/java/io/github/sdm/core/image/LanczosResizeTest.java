package io.github.sdm.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.testkit.TestData;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pixel-exact against Pillow's {@code resize(..., Image.LANCZOS)} (fixtures made by make_image_fixtures.py). */
class LanczosResizeTest {

    @ParameterizedTest(name = "61x47 -> {0}x{1}")
    @CsvSource({"32, 24", "96, 80", "61, 24", "40, 47", "8, 8", "200, 150"})
    void matchesPillow(int width, int height) {
        BufferedImage source = PngFiles.read(TestData.fixture("images/source-61x47.png"));
        BufferedImage expected = PngFiles.read(TestData.fixture("images/lanczos-" + width + "x" + height + ".png"));
        BufferedImage actual = LanczosResize.resize(source, width, height);
        assertEquals(width, actual.getWidth());
        assertEquals(height, actual.getHeight());
        int[] e = ImageTensors.rgbPixels(expected);
        int[] a = ImageTensors.rgbPixels(actual);
        int mismatches = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] != a[i]) {
                mismatches++;
            }
        }
        assertEquals(0, mismatches, "pixels differing from Pillow");
    }

    @Test
    void sameSizeIsACopy() {
        BufferedImage source = PngFiles.read(TestData.fixture("images/source-61x47.png"));
        BufferedImage copy = LanczosResize.resize(source, 61, 47);
        assertEquals(Arrays.toString(ImageTensors.rgbPixels(source)),
                Arrays.toString(ImageTensors.rgbPixels(copy)));
    }

    @Test
    void rejectsEmptyTargets() {
        BufferedImage source = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        assertThrows(SdmException.class, () -> LanczosResize.resize(source, 0, 4));
    }
}
