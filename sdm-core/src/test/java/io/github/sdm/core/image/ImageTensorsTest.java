package io.github.sdm.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.testkit.TestData;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTensorsTest {
    @TempDir
    Path dir;

    /** Decoder output -> bytes, against numpy's float32 {@code (clamp(x / 2 + 0.5) * 255).round()}. */
    @Test
    void decodedValuesBecomeTheBytesDiffusersWrites() throws IOException {
        JsonObject f = conversions();
        JsonArray bits = f.getAsJsonArray("decoded_bits");
        JsonArray bytes = f.getAsJsonArray("bytes");
        int n = bits.size();
        float[] decoded = new float[3 * n];
        for (int i = 0; i < n; i++) {
            float v = Float.intBitsToFloat((int) bits.get(i).getAsLong());
            decoded[i] = v;
            decoded[n + i] = v;
            decoded[2 * n + i] = v;
        }
        BufferedImage image = ImageTensors.toImage(ImageTensors.denormalize(decoded), 1, n);
        int[] rgb = ImageTensors.rgbPixels(image);
        for (int i = 0; i < n; i++) {
            int expected = bytes.get(i).getAsInt();
            assertEquals(expected * 0x010101, rgb[i], "value " + decoded[i]);
        }
    }

    /** Bytes -> [0, 1] and [-1, 1], bit for bit as numpy/torch compute them in float32. */
    @Test
    void bytesBecomeTheFloatsDiffusersFeedsTheEncoder() throws IOException {
        JsonObject f = conversions();
        BufferedImage ramp = new BufferedImage(256, 1, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 256; x++) {
            ramp.setRGB(x, 0, (x << 16) | ((255 - x) << 8) | x);
        }
        float[] unit = ImageTensors.toUnitRange(ramp);
        float[] signed = ImageTensors.toSignedUnitRange(ramp);
        for (int x = 0; x < 256; x++) {
            assertEquals(f.getAsJsonArray("unit_bits").get(x).getAsLong(), Integer.toUnsignedLong(Float.floatToIntBits(unit[x])));
            assertEquals(f.getAsJsonArray("unit_bits").get(255 - x).getAsLong(),
                    Integer.toUnsignedLong(Float.floatToIntBits(unit[256 + x])));
            assertEquals(f.getAsJsonArray("signed_bits").get(x).getAsLong(),
                    Integer.toUnsignedLong(Float.floatToIntBits(signed[512 + x])));
        }
    }

    @Test
    void roundTripsAnImageThroughTheUnitRange() {
        BufferedImage source = PngFiles.read(TestData.fixture("images/source-61x47.png"));
        float[] nchw = ImageTensors.toUnitRange(source);
        assertEquals(3 * 61 * 47, nchw.length);
        BufferedImage back = ImageTensors.toImage(nchw, 47, 61);
        assertArrayEquals(ImageTensors.rgbPixels(source), ImageTensors.rgbPixels(back));
    }

    @Test
    void splitsABatchInNchwOrder() {
        float[] batch = new float[2 * 3 * 2 * 2];
        batch[0] = 1f; // image 0, red, pixel (0, 0)
        batch[12 + 4 + 3] = 1f; // image 1, green, pixel (1, 1)
        List<BufferedImage> images = ImageTensors.toImages(batch, 2, 2, 2);
        assertEquals(0xff0000, images.get(0).getRGB(0, 0) & 0xffffff);
        assertEquals(0x00ff00, images.get(1).getRGB(1, 1) & 0xffffff);
        assertEquals(0, images.get(1).getRGB(0, 0) & 0xffffff);
    }

    @Test
    void greyImagesAreReplicatedNotGammaShifted() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        grey.getRaster().setSample(1, 0, 0, 200);
        float[] unit = ImageTensors.toUnitRange(grey);
        assertArrayEquals(new float[] {100 / 255f, 200 / 255f, 100 / 255f, 200 / 255f, 100 / 255f, 200 / 255f}, unit);
    }

    /**
     * PNGs of each sample layout, written and read back through ImageIO as an init image would be: the values are the
     * samples over their largest value, with no colour-space conversion (16-bit grey used to come out brightened,
     * 10070 / 65535 as 0.4275).
     */
    @Test
    void pngSamplesAreReadLinearlyWhateverTheirLayout() throws IOException {
        assertChannels(png(image(ColorSpace.CS_GRAY, new int[] {16}, DataBuffer.TYPE_USHORT, 10070, 65535)),
                10070 / 65535f, 1f, 10070 / 65535f, 1f, 10070 / 65535f, 1f);
        assertChannels(png(image(ColorSpace.CS_GRAY, new int[] {8}, DataBuffer.TYPE_BYTE, 39, 255)),
                39 / 255f, 1f, 39 / 255f, 1f, 39 / 255f, 1f);
        assertChannels(png(image(ColorSpace.CS_sRGB, new int[] {16, 16, 16}, DataBuffer.TYPE_USHORT,
                10070, 20000, 30000, 0, 1, 65535)), 10070 / 65535f, 0f, 20000 / 65535f, 1 / 65535f, 30000 / 65535f, 1f);
        assertChannels(png(image(ColorSpace.CS_GRAY, new int[] {8, 8}, DataBuffer.TYPE_BYTE, 100, 0, 200, 255)),
                100 / 255f, 200 / 255f, 100 / 255f, 200 / 255f, 100 / 255f, 200 / 255f);
        assertChannels(png(image(ColorSpace.CS_GRAY, new int[] {16, 16}, DataBuffer.TYPE_USHORT,
                10070, 0, 65535, 30000)), 10070 / 65535f, 1f, 10070 / 65535f, 1f, 10070 / 65535f, 1f);
    }

    /** The 8-bit view (what the Lanczos resize works on) scales 16-bit samples instead of brightening them. */
    @Test
    void sixteenBitGreyIsScaledToEightBits() {
        BufferedImage grey = image(ColorSpace.CS_GRAY, new int[] {16}, DataBuffer.TYPE_USHORT, 10070, 65535);
        assertArrayEquals(new int[] {39 * 0x010101, 0xffffff}, ImageTensors.rgbPixels(grey));
    }

    /** A two-pixel image of the given layout; {@code samples} are pixel by pixel, band by band. */
    private static BufferedImage image(int space, int[] bits, int transferType, int... samples) {
        boolean alpha = bits.length == 2 || bits.length == 4;
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(space), bits, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, transferType);
        WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, samples);
        return new BufferedImage(model, raster, false, null);
    }

    private BufferedImage png(BufferedImage image) throws IOException {
        Path file = dir.resolve("layout.png");
        assertTrue(ImageIO.write(image, "png", file.toFile()), "no PNG writer for " + image);
        BufferedImage read = PngFiles.read(file);
        assertEquals(image.getColorModel().getComponentSize(0), read.getColorModel().getComponentSize(0), "bit depth");
        assertEquals(image.getColorModel().getNumComponents(), read.getColorModel().getNumComponents(), "components");
        return read;
    }

    /** {@code expected}: red, green, blue of a two-pixel image, in NCHW order. */
    private static void assertChannels(BufferedImage image, float... expected) {
        assertArrayEquals(expected, ImageTensors.toUnitRange(image), image.getColorModel().toString());
    }

    @Test
    void alphaIsDroppedNotComposited() {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x10_20_40_80);
        assertArrayEquals(new float[] {0x20 / 255f, 0x40 / 255f, 0x80 / 255f}, ImageTensors.toUnitRange(argb));
    }

    @Test
    void rejectsNaNAndWrongShapes() {
        float[] withNaN = new float[3 * 4];
        withNaN[5] = Float.NaN;
        SdmException e = assertThrows(SdmException.class, () -> ImageTensors.toImage(withNaN, 2, 2));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(SdmException.class, () -> ImageTensors.toImages(new float[10], 1, 2, 2));
        assertTrue(e.getMessage().contains("[1, 3, 2, 2]"), e.getMessage());
    }

    private static JsonObject conversions() throws IOException {
        return JsonParser.parseString(Files.readString(TestData.fixture("images/conversions.json"))).getAsJsonObject();
    }
}
