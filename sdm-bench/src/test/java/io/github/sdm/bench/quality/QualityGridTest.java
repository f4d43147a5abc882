package io.github.sdm.bench.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.bench.cli.QualityCommandTest;
import io.github.sdm.core.tensor.FloatTensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid's layout for a 32 px model: pictures scaled 4x (the 64 px case is in {@code QualityCommandTest}). */
class QualityGridTest {
    @TempDir
    Path dir;

    @Test
    void thirtyTwoPixelPicturesAreScaledUpFourTimes() throws IOException {
        EmojiDataset data = EmojiDataset.load(QualityCommandTest.emojiFolder(dir));
        List<QualityPrompts.Prompt> prompts = QualityPrompts.of(data, 2, 1000);
        QualityGrid grid = QualityGrid.of(prompts, 3);
        List<FloatTensor> pictures = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            pictures.add(FloatTensor.zeros(1, 3, 32, 32)); // black
        }
        BufferedImage picture = grid.render(pictures);

        int side = 32 * 4;
        int cell = 2 * side + 8;
        assertEquals(3 * (cell + 8) + 8, picture.getWidth());
        assertEquals(side + 16, picture.getHeight());
        for (int k = 0; k < 3; k++) {
            int x = 8 + k * (cell + 8);
            // the generated picture fills its whole scaled square, up to the last pixel before the gap
            assertEquals(0, picture.getRGB(x + side - 1, 8 + side - 1) & 0xffffff, "cell " + k);
            // and the real emoji (a coloured square on white) sits right of it, also 4x: white at its corner
            assertEquals(0xffffff, picture.getRGB(x + side + 8, 8) & 0xffffff, "cell " + k);
        }
    }
}
