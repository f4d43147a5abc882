package io.github.sdm.assembly.students;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a student removes from its teacher, parsed from a comma-separated spec:
 * {@code down_blocks.I.layers.J} / {@code up_blocks.I.layers.J} (a resnet, with its attention where the block
 * has one), {@code mid} (the mid block) and {@code innermost} (the innermost down and up stages, as BK-SDM-Tiny).
 * Indices are the teacher's.
 *
 * @param downLayers "block.layer" pairs removed from down blocks
 * @param upLayers "block.layer" pairs removed from up blocks
 */
public record RemovalSpec(Set<BlockLayer> downLayers, Set<BlockLayer> upLayers, boolean mid, boolean innermost) {

    /** One layer of one block, by the teacher's indices. */
    public record BlockLayer(int block, int layer) implements Comparable<BlockLayer> {
        @Override
        public int compareTo(BlockLayer o) {
            return block != o.block ? Integer.compare(block, o.block) : Integer.compare(layer, o.layer);
        }

        @Override
        public String toString() {
            return block + ".layers." + layer;
        }
    }

    public RemovalSpec {
        downLayers = Set.copyOf(downLayers);
        upLayers = Set.copyOf(upLayers);
    }

    /** Nothing removed: the student equals the teacher. */
    public static RemovalSpec none() {
        return new RemovalSpec(Set.of(), Set.of(), false, false);
    }

    /** Parses {@code spec}; an empty spec removes nothing. */
    public static RemovalSpec parse(String spec) {
        Set<BlockLayer> down = new TreeSet<>();
        Set<BlockLayer> up = new TreeSet<>();
        boolean mid = false;
        boolean innermost = false;
        for (String raw : spec.split(",")) {
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals("mid") || part.equals("mid_block")) {
                mid = true;
            } else if (part.equals("innermost")) {
                innermost = true;
            } else if (part.startsWith("down_blocks.")) {
                down.add(blockLayer(part, "down_blocks."));
            } else if (part.startsWith("up_blocks.")) {
                up.add(blockLayer(part, "up_blocks."));
            } else {
                throw new IllegalArgumentException("removal spec part '" + part + "': expected down_blocks.I.layers.J,"
                        + " up_blocks.I.layers.J, mid or innermost");
            }
        }
        return new RemovalSpec(down, up, mid, innermost);
    }

    private static BlockLayer blockLayer(String part, String prefix) {
        String[] pieces = part.substring(prefix.length()).split("\\.");
        if (pieces.length != 3 || !pieces[1].equals("layers")) {
            throw new IllegalArgumentException("removal spec part '" + part + "': expected " + prefix + "I.layers.J");
        }
        try {
            int block = Integer.parseInt(pieces[0]);
            int layer = Integer.parseInt(pieces[2]);
            if (block < 0 || layer < 0) {
                throw new NumberFormatException();
            }
            return new BlockLayer(block, layer);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("removal spec part '" + part + "': block and layer must be"
                    + " non-negative integers");
        }
    }

    /** The spec as text, parseable again. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        new TreeSet<>(downLayers).forEach(l -> parts.add("down_blocks." + l));
        new TreeSet<>(upLayers).forEach(l -> parts.add("up_blocks." + l));
        if (mid) {
            parts.add("mid");
        }
        if (innermost) {
            parts.add("innermost");
        }
        return String.join(",", parts);
    }
}
