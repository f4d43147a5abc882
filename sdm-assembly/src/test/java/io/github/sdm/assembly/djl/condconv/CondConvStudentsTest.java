package io.github.sdm.assembly.djl.condconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.assembly.condconv.CondConvConfig;
import io.github.sdm.assembly.students.StudentAssembler;
import io.github.sdm.assembly.students.StudentPlan;
import io.github.sdm.assembly.students.StudentPresets;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An assembled student made ME-CondConv with the removed neighbours as experts (tiny-sd, bk-small). */
class CondConvStudentsTest {
    private static final Path TEACHER = TestData.tinySd();

    @TempDir
    Path dir;

    private StudentPlan assemble(Path out) {
        UNetConfig teacher = UNetConfig.read(TEACHER.resolve("unet/config.json"));
        return StudentAssembler.assemble(TEACHER, StudentPresets.spec("bk-small", teacher), out);
    }

    @Test
    void theExpertsAreTheRemovedNeighboursAndTheStudentStartsAsThePlainOne() {
        Path plain = dir.resolve("plain");
        assemble(plain);
        Path student = dir.resolve("condconv");
        StudentPlan plan = assemble(student);
        CondConvStudents.Made made = CondConvStudents.convert(TEACHER, plan, student,
                new CondConvConfig(3, List.of("down_blocks.3", "up_blocks.0.resnets.0")));
        // down_blocks.3.resnets.0 (teacher's too): its neighbours down_blocks.3.resnets.1 and down_blocks.2.resnets.1
        // share its 32->32 shapes; up_blocks.0.resnets.0's conv1 takes 64 channels (32 + the skip's 32), as only
        // up_blocks.0.resnets.1's conv1 does among its neighbours
        assertEquals(Map.of(
                "down_blocks.3.resnets.0.conv1", List.of("down_blocks.3.resnets.1.conv1", "down_blocks.2.resnets.1.conv1"),
                "down_blocks.3.resnets.0.conv2", List.of("down_blocks.3.resnets.1.conv2", "down_blocks.2.resnets.1.conv2"),
                "up_blocks.0.resnets.0.conv1", List.of("up_blocks.0.resnets.1.conv1"),
                "up_blocks.0.resnets.0.conv2", List.of("up_blocks.0.resnets.1.conv2", "mid_block.resnets.1.conv2")),
                made.convolutions());
        try (SafetensorsWeights teacher = SafetensorsWeights.openComponent(TEACHER.resolve("unet"));
                SafetensorsWeights written = SafetensorsWeights.openComponent(student.resolve("unet"))) {
            float[] experts = written.floats("down_blocks.3.resnets.0.conv2.experts.weight");
            float[] first = teacher.floats("down_blocks.3.resnets.1.conv2.weight");
            float[] second = teacher.floats("down_blocks.2.resnets.1.conv2.weight");
            assertArrayEquals(first, Arrays.copyOfRange(experts, 0, first.length), 0f);
            assertArrayEquals(second, Arrays.copyOfRange(experts, first.length, experts.length), 0f);
            // the kept convolution fills the experts no neighbour gives
            float[] kept = teacher.floats("up_blocks.0.resnets.0.conv1.weight");
            float[] filled = written.floats("up_blocks.0.resnets.0.conv1.experts.weight");
            assertArrayEquals(kept, Arrays.copyOfRange(filled, kept.length, filled.length), 0f);
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                UNet2DConditionModel plainUnet = UNet2DConditionModel.load(plain.resolve("unet"), manager);
                UNet2DConditionModel condConv = UNet2DConditionModel.load(student.resolve("unet"), manager)) {
            assertEquals(4, condConv.walk().stream().filter(p -> p instanceof CondConv2d).map(Part::name).count());
            manager.getEngine().setRandomSeed(3);
            NDArray sample = manager.randomNormal(new Shape(2, 4, 8, 8));
            NDArray timestep = manager.create(new float[] {500f, 500f});
            NDArray context = manager.randomNormal(new Shape(2, 77, 32));
            assertArrayEquals(plainUnet.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray(),
                    condConv.forward(sample, timestep, context, ForwardContext.DEFAULT).toFloatArray(), 1e-4f);
        }
    }

    @Test
    void prefixesThatNameNoResnetAreRefused() {
        Path student = dir.resolve("none");
        StudentPlan plan = assemble(student);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CondConvStudents.convert(
                TEACHER, plan, student, new CondConvConfig(2, List.of("mid_block"))));
        assertTrue(e.getMessage().contains("sdm_condconv resnets [mid_block] name no resnet of the student"),
                e.getMessage());
    }
}
