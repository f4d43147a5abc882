package io.github.sdm.assembly.students;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.config.UNetConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StudentAssemblerTest {
    private static final Path TEACHER = TestData.tinySd();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"bk-base", "bk-small", "bk-tiny"})
    void presetStudentLoadsGeneratesAndIsSmaller(String preset) throws Exception {
        UNetConfig teacher = UNetConfig.read(TEACHER.resolve("unet/config.json"));
        Path student = dir.resolve(preset);
        StudentAssembler.assemble(TEACHER, StudentPresets.spec(preset, teacher), student);

        UNetConfig config = UNetConfig.read(student.resolve("unet/config.json"));
        assertEquals(preset.equals("bk-tiny") ? List.of(1, 1, 1) : List.of(1, 1, 1, 1), config.layersPerBlock());
        assertEquals(preset.equals("bk-base"), config.hasMidBlock());
        assertTrue(parameters(student) < parameters(TEACHER), "a student has fewer parameters");
        try (StableDiffusion sd = StableDiffusion.load(student)) {
            GenerationResult result = sd.txt2img("a dog").steps(3).seed(3).generate();
            for (float v : result.finalLatents().data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void keptLayersInheritTheTeachersWeightsUnderTheStudentsNames() throws Exception {
        Path student = dir.resolve("custom");
        StudentPlan plan = StudentAssembler.assemble(TEACHER,
                RemovalSpec.parse("down_blocks.2.layers.0,mid"), student);
        assertEquals(List.of(1), plan.keptDown().get(2));
        assertEquals(List.of(0, 2), plan.keptUp().get(1), "the mirror up block loses its second layer");
        try (SafetensorsFile t = unet(TEACHER); SafetensorsFile s = unet(student)) {
            assertEquals(bytes(t, "down_blocks.2.resnets.1.conv1.weight"), bytes(s, "down_blocks.2.resnets.0.conv1.weight"));
            assertEquals(bytes(t, "down_blocks.2.attentions.1.proj_in.weight"),
                    bytes(s, "down_blocks.2.attentions.0.proj_in.weight"));
            assertEquals(bytes(t, "up_blocks.1.resnets.2.conv1.weight"), bytes(s, "up_blocks.1.resnets.1.conv1.weight"));
            assertFalse(s.contains("down_blocks.2.resnets.1.conv1.weight"));
            assertFalse(s.names().stream().anyMatch(n -> n.startsWith("mid_block.")));
        }
    }

    @Test
    void nothingRemovedIsBitIdenticalToTheTeacher() throws Exception {
        Path student = dir.resolve("same");
        StudentAssembler.assemble(TEACHER, RemovalSpec.parse(""), student);
        try (SafetensorsFile t = unet(TEACHER); SafetensorsFile s = unet(student)) {
            assertEquals(t.names(), s.names());
            for (String name : t.names()) {
                assertEquals(bytes(t, name), bytes(s, name), name);
            }
        }
        float[] teacherLatents;
        try (StableDiffusion sd = StableDiffusion.load(TEACHER)) {
            teacherLatents = sd.txt2img("a cat").steps(2).seed(5).generate().finalLatents().data();
        }
        try (StableDiffusion sd = StableDiffusion.load(student)) {
            assertArrayEquals(teacherLatents, sd.txt2img("a cat").steps(2).seed(5).generate().finalLatents().data());
        }
    }

    @Test
    void badSpecsAreRefusedNamingThePart() {
        UNetConfig teacher = UNetConfig.read(TEACHER.resolve("unet/config.json"));
        assertMessage("down_blocks.7.layers.0", "the teacher has 4 blocks",
                () -> StudentPlan.of(teacher, RemovalSpec.parse("down_blocks.7.layers.0")));
        assertMessage("down_blocks.1.layers.5", "the block has 2 layers",
                () -> StudentPlan.of(teacher, RemovalSpec.parse("down_blocks.1.layers.5")));
        assertMessage("'middle'", "expected", () -> RemovalSpec.parse("middle"));
        assertMessage("down_blocks.2", "keeps at least one",
                () -> StudentPlan.of(teacher, RemovalSpec.parse("down_blocks.2.layers.0,down_blocks.2.layers.1")));
        assertMessage("up_blocks.1", "must keep 3",
                () -> StudentPlan.of(teacher, RemovalSpec.parse("up_blocks.1.layers.1")));
        // tiny-sd's up_blocks.2 ends with a 16-channel skip of down_blocks.0: removing its last layer breaks shapes
        assertMessage("up_blocks.2.resnets.1", "remove another layer",
                () -> StudentAssembler.assemble(TEACHER,
                        RemovalSpec.parse("down_blocks.1.layers.1,up_blocks.2.layers.2"), dir.resolve("bad")));
        // down_blocks.1's first layer widens 16 to 32 channels: its second cannot take its place
        assertMessage("down_blocks.1.resnets.0", "remove another layer",
                () -> StudentAssembler.assemble(TEACHER, RemovalSpec.parse("down_blocks.1.layers.0"), dir.resolve("bad")));
        assertFalse(dir.resolve("bad").toFile().exists(), "nothing is written for a refused spec");
    }

    private static void assertMessage(String part, String why, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains(why), e.getMessage());
    }

    private static SafetensorsFile unet(Path model) {
        return SafetensorsFile.open(model.resolve("unet/diffusion_pytorch_model.safetensors"));
    }

    private static ByteBuffer bytes(SafetensorsFile file, String name) {
        return file.bytes(name);
    }

    private static long parameters(Path model) {
        try (SafetensorsFile file = unet(model)) {
            return file.tensors().values().stream().mapToLong(i -> i.elementCount()).sum();
        }
    }
}
