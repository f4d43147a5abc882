package io.github.sdm.assembly.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.assembly.students.StudentPlan;
import io.github.sdm.assembly.students.StudentPresets;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.UNetConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts the feature loss compares, for BK-SDM's students of the tiny model (4 stages, 2 layers each). */
class FeaturePairsTest {
    private static final UNetConfig TEACHER = UNetConfig.read(TestData.tinySd().resolve("unet/config.json"));

    private static String teacherJson() {
        try {
            return Files.readString(TestData.tinySd().resolve("unet/config.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UNetConfig student(String preset) {
        StudentPlan plan = StudentPlan.of(TEACHER, StudentPresets.spec(preset, TEACHER));
        return UNetConfig.parse(plan.studentConfigJson(teacherJson()),
                preset);
    }

    @Test
    void bkSmallComparesEveryBlockByNameAndHasNoMidBlock() {
        FeaturePairs pairs = FeaturePairs.of(TEACHER, student("bk-small"));
        List<String> blocks = List.of("down_blocks.0", "down_blocks.1", "down_blocks.2", "down_blocks.3",
                "up_blocks.0", "up_blocks.1", "up_blocks.2", "up_blocks.3");
        assertEquals(blocks, pairs.studentParts());
        assertEquals(blocks, pairs.teacherParts());
    }

    @Test
    void bkBaseKeepsTheMidBlock() {
        assertTrue(FeaturePairs.of(TEACHER, student("bk-base")).studentParts().contains("mid_block"));
    }

    /**
     * Without the innermost stage the student's last down block has no downsampler: its last attention is
     * compared with the teacher's (before the teacher's downsampler), and the up blocks shift by one.
     */
    @Test
    void bkTinyComparesTheLastDownLayerAndShiftsTheUpBlocks() {
        FeaturePairs pairs = FeaturePairs.of(TEACHER, student("bk-tiny"));
        assertEquals(List.of(
                new FeaturePairs.Pair("down_blocks.0", "down_blocks.0"),
                new FeaturePairs.Pair("down_blocks.1", "down_blocks.1"),
                new FeaturePairs.Pair("down_blocks.2.attentions.0", "down_blocks.2.attentions.1"),
                new FeaturePairs.Pair("up_blocks.0", "up_blocks.1"),
                new FeaturePairs.Pair("up_blocks.1", "up_blocks.2"),
                new FeaturePairs.Pair("up_blocks.2", "up_blocks.3")), pairs.pairs());
    }

    @Test
    void aStudentOfOtherWidthsIsRefusedNamingTheBlock() {
        UNetConfig wider = UNetConfig.parse(teacherJson()
                .replace("\"block_out_channels\": [\n  16,", "\"block_out_channels\": [\n  24,"), "wider");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeaturePairs.of(TEACHER, wider));
        assertTrue(e.getMessage().contains("down_blocks.0") && e.getMessage().contains("24"), e.getMessage());
    }
}
