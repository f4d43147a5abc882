package io.github.sdm.assembly.students;

import io.github.sdm.unet.config.UNetConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * BK-SDM's students (Kim et al., "BK-SDM: A Lightweight, Fast, and Cheap Version of Stable Diffusion") as
 * removal specs of any teacher:
 * <ul>
 *   <li>{@code bk-base}: one resnet(+attention) pair fewer per stage: the second of each down block and the
 *       second of each up block (of three). The second, not the third, of an up block: its third consumes the
 *       skip of the stage before, whose channels differ, so removing it would break the student's shapes.</li>
 *   <li>{@code bk-small}: {@code bk-base} and no mid block.</li>
 *   <li>{@code bk-tiny}: {@code bk-small} and without the innermost down and up stages.</li>
 * </ul>
 * A block with a single down layer keeps it.
 */
public final class StudentPresets {
    public static final List<String> NAMES = List.of("bk-base", "bk-small", "bk-tiny");

    private StudentPresets() {
    }

    /** The removal spec of preset {@code name} for {@code teacher}. */
    public static RemovalSpec spec(String name, UNetConfig teacher) {
        return switch (name) {
            case "bk-base" -> blockRemoval(teacher, false, false);
            case "bk-small" -> blockRemoval(teacher, true, false);
            case "bk-tiny" -> blockRemoval(teacher, true, true);
            default -> throw new IllegalArgumentException("unknown student preset '" + name + "'; expected one of "
                    + NAMES);
        };
    }

    private static RemovalSpec blockRemoval(UNetConfig teacher, boolean mid, boolean innermost) {
        int blocks = teacher.blockCount();
        Set<RemovalSpec.BlockLayer> down = new TreeSet<>();
        Set<RemovalSpec.BlockLayer> up = new TreeSet<>();
        for (int b = 0; b < blocks; b++) {
            boolean removedWhole = innermost && b == blocks - 1;
            if (teacher.layersPerBlock().get(b) >= 2 && !removedWhole) {
                down.add(new RemovalSpec.BlockLayer(b, 1));
                up.add(new RemovalSpec.BlockLayer(blocks - 1 - b, 1));
            }
        }
        return new RemovalSpec(down, up, mid && teacher.hasMidBlock(), innermost);
    }
}
