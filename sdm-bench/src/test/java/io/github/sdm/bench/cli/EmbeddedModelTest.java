package io.github.sdm.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.image.PngFiles;
import io.github.sdm.core.testkit.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: the embedded default model is the trained emoji model, and a fixed prompt and seed
 * draw the picture committed beside this test (made by that command when the model was trained, and shown in
 * docs/images). A retrained or wrongly loaded model fails here.
 */
class EmbeddedModelTest {
    /** Made with the README's command, {@code scripts/sdm generate --prompt "man mechanic, twemoji" --seed 42}. */
    private static final String REFERENCE = "/embedded-model/man-mechanic-twemoji-seed-42.png";
    /** Pixel levels (of 255) a machine with other float kernels may differ by after 50 steps. */
    private static final int MAX_LEVELS = 12;
    private static final double MEAN_LEVELS = 1.0;

    @TempDir
    Path dir;

    @Test
    void theDefaultModelIsTheEmojiModel() {
        assertEquals(TestData.model("emoji-sd").toAbsolutePath().normalize(),
                EmbeddedModel.folder(TestData.model("emoji-sd").getParent().getParent()).toAbsolutePath().normalize());
    }

    @Test
    void itDrawsTheCommittedPictureOfTheReadmePrompt() throws Exception {
        Path out = dir.resolve("emoji.png");
        CliRunner.Result result = CliRunner.run("generate", "--model", TestData.model("emoji-sd").toString(),
                "--prompt", "man mechanic, twemoji", "--seed", "42", "--out", out.toString());
        assertEquals(0, result.code(), result.err());
        BufferedImage drawn = PngFiles.read(out);
        BufferedImage reference = PngFiles.read(Path.of(EmbeddedModelTest.class.getResource(REFERENCE).toURI()));
        assertEquals(reference.getWidth(), drawn.getWidth());
        assertEquals(reference.getHeight(), drawn.getHeight());
        long sum = 0;
        int max = 0;
        for (int y = 0; y < drawn.getHeight(); y++) {
            for (int x = 0; x < drawn.getWidth(); x++) {
                int a = drawn.getRGB(x, y);
                int b = reference.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff));
                    sum += d;
                    max = Math.max(max, d);
                }
            }
        }
        double mean = sum / (3.0 * drawn.getWidth() * drawn.getHeight());
        assertTrue(max <= MAX_LEVELS && mean <= MEAN_LEVELS,
                "drawn vs committed picture: max " + max + " levels, mean " + mean);
    }
}
