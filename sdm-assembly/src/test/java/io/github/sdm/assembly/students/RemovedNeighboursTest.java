package io.github.sdm.assembly.students;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.UNetConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The removed resnets next to a kept one, on tiny-sd's bk-small student (2 layers per block, 4 stages). */
class RemovedNeighboursTest {
    private static final Path TEACHER = TestData.tinySd();

    private static Set<String> teacherKeys() {
        try (SafetensorsWeights weights = SafetensorsWeights.openComponent(TEACHER.resolve("unet"))) {
            return weights.names();
        }
    }

    private static StudentPlan bkSmall() {
        UNetConfig teacher = UNetConfig.read(TEACHER.resolve("unet/config.json"));
        return StudentPlan.of(teacher, StudentPresets.spec("bk-small", teacher));
    }

    @Test
    void theTeachersResnetsAreInTheUNetsOrder() {
        List<String> order = RemovedNeighbours.resnetsInOrder(teacherKeys());
        // 4 down blocks of 2, the mid block's 2, 4 up blocks of 3
        assertEquals(4 * 2 + 2 + 4 * 3, order.size(), order.toString());
        assertEquals(List.of("down_blocks.0.resnets.0", "down_blocks.0.resnets.1", "down_blocks.1.resnets.0"),
                order.subList(0, 3));
        assertEquals(List.of("down_blocks.3.resnets.1", "mid_block.resnets.0", "mid_block.resnets.1",
                "up_blocks.0.resnets.0"), order.subList(7, 11));
        assertEquals("up_blocks.3.resnets.2", order.get(order.size() - 1));
    }

    @Test
    void theRemovedResnetsBetweenTheKeptOnesNearestFirst() {
        Set<String> keys = teacherKeys();
        StudentPlan plan = bkSmall();
        // after: down_blocks.3.resnets.1 and the mid block up to up_blocks.0.resnets.0 (kept); before: the second
        // resnet of down block 2 (its first is kept)
        assertEquals(List.of("down_blocks.3.resnets.1", "down_blocks.2.resnets.1", "mid_block.resnets.0",
                "mid_block.resnets.1"), RemovedNeighbours.of(plan, keys, "down_blocks.3.resnets.0"));
        assertEquals(List.of("up_blocks.0.resnets.1", "mid_block.resnets.1", "mid_block.resnets.0",
                "down_blocks.3.resnets.1"), RemovedNeighbours.of(plan, keys, "up_blocks.0.resnets.0"));
        // the first resnet of all: only after it
        assertEquals(List.of("down_blocks.0.resnets.1"), RemovedNeighbours.of(plan, keys, "down_blocks.0.resnets.0"));
    }

    @Test
    void aRemovedOrUnknownResnetIsRefusedByName() {
        IllegalArgumentException removed = assertThrows(IllegalArgumentException.class,
                () -> RemovedNeighbours.of(bkSmall(), teacherKeys(), "mid_block.resnets.0"));
        assertTrue(removed.getMessage().contains("'mid_block.resnets.0' is not a resnet of the teacher that the "
                + "student keeps"), removed.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RemovedNeighbours.of(bkSmall(), teacherKeys(), "down_blocks.9.resnets.0"));
    }
}
