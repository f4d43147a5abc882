package io.github.sdm.bench.quality;

import io.github.sdm.assembly.data.EmojiDataset;
import io.github.sdm.core.image.ImageTensors;
import io.github.sdm.core.tensor.FloatTensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A picture grid of the yardstick's prompts for people to look at: each cell is the generated picture with the
 * real emoji its prompt names to its right, both scaled up by whole pixels to about {@value #CELL_SIDE} pixels
 * a side (32 px models are scaled 4x, 64 px models 2x). The cells are half training names and
 * half held-out names, evenly spaced through each group of the prompt set, in rows of {@link #COLUMNS}. No text is
 * drawn (headless machines may lack fonts): {@link #captions} lists the prompts in cell order.
 */
public final class QualityGrid {
    /** Cells per row. */
    public static final int COLUMNS = 4;
    /** The side a picture is scaled up to, by a whole factor (at least 1). */
    static final int CELL_SIDE = 128;
    private static final int GAP = 8;

    private final List<Integer> cells;
    private final List<QualityPrompts.Prompt> prompts;

    private QualityGrid(List<Integer> cells, List<QualityPrompts.Prompt> prompts) {
        this.cells = cells;
        this.prompts = prompts;
    }

    /** The grid of {@code count} cells (fewer when the set is smaller) chosen from {@code prompts}. */
    public static QualityGrid of(List<QualityPrompts.Prompt> prompts, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a picture grid needs at least one cell, got " + count);
        }
        List<Integer> training = new ArrayList<>();
        List<Integer> heldOut = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            (prompts.get(i).heldOut() ? heldOut : training).add(i);
        }
        int fromHeldOut = Math.min(heldOut.size(), count / 2);
        List<Integer> cells = new ArrayList<>(QualityPrompts.evenlySpaced(training, count - fromHeldOut));
        cells.addAll(QualityPrompts.evenlySpaced(heldOut, fromHeldOut));
        return new QualityGrid(cells, prompts);
    }

    /** The prompts of the cells, in cell order (row by row). */
    public List<QualityPrompts.Prompt> captions() {
        return cells.stream().map(prompts::get).toList();
    }

    /**
     * Draws the grid.
     *
     * @param pictures the generated pictures {@code [1, 3, S, S]} in [0, 1], one per prompt of the set
     */
    public BufferedImage render(List<FloatTensor> pictures) {
        int side = pictures.get(cells.get(0)).dim(3);
        int scale = Math.max(1, CELL_SIDE / side);
        int cell = 2 * side * scale + GAP;
        int rows = (cells.size() + COLUMNS - 1) / COLUMNS;
        int columns = Math.min(COLUMNS, cells.size());
        BufferedImage grid = new BufferedImage(columns * (cell + GAP) + GAP, rows * (side * scale + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(new Color(0xd0d0d0));
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            List<byte[]> real = EmojiDataset.pixels(captions().stream().map(QualityPrompts.Prompt::target).toList(),
                    side);
            for (int k = 0; k < cells.size(); k++) {
                int x = GAP + (k % COLUMNS) * (cell + GAP);
                int y = GAP + (k / COLUMNS) * (side * scale + GAP);
                FloatTensor picture = pictures.get(cells.get(k));
                g.drawImage(ImageTensors.toImage(picture.data(), picture.dim(2), picture.dim(3)), x, y,
                        side * scale, side * scale, null);
                g.drawImage(ImageTensors.toImage(QualityBench.unitRange(real.get(k)), side, side), x + side * scale + GAP, y,
                        side * scale, side * scale, null);
            }
        } finally {
            g.dispose();
        }
        return grid;
    }
}
