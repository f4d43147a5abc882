package io.github.sdm.assembly.djl.switching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.assembly.students.StudentAssembler;
import io.github.sdm.assembly.students.StudentPresets;
import io.github.sdm.assembly.switching.SwitchSchedule;
import io.github.sdm.assembly.switching.UNetSwitch;
import io.github.sdm.core.GenerationBuilder;
import io.github.sdm.core.GenerationResult;
import io.github.sdm.core.StableDiffusion;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.inheritance.FeatureInheritance;
import io.github.sdm.unet.config.UNetConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One generation on two UNets: tiny-sd (the teacher) and its bk-small student. */
class UNetSwitchTest {
    private static final Path TEACHER = TestData.tinySd();

    @TempDir
    static Path dir;

    private static Path student;

    @BeforeAll
    static void assembleStudent() {
        student = dir.resolve("student");
        StudentAssembler.assemble(TEACHER, StudentPresets.spec("bk-small",
                UNetConfig.read(TEACHER.resolve("unet/config.json"))), student);
    }

    @Test
    void switchZeroIsTheTeacherSwitchOneTheStudentAndAMidSwitchNeither() {
        float[] teacher;
        float[] studentAlone;
        float[] none;
        float[] all;
        float[] half;
        float[] explicit;
        try (StableDiffusion sd = StableDiffusion.load(TEACHER); LoadedUNet second = LoadedUNet.load(student)) {
            GenerationResult plain = sd.txt2img("a cat").steps(4).seed(11).generate();
            teacher = plain.finalLatents().data();
            int calls = plain.timesteps().length; // the sampler's calls (PNDM makes one more than its steps)
            Set<Integer> firstHalf = IntStream.range(0, (int) Math.round(calls * 0.5)).boxed().collect(Collectors.toSet());
            none = latents(sd.txt2img("a cat").with(new UNetSwitch(second, SwitchSchedule.parse("0"))));
            all = latents(sd.txt2img("a cat").with(new UNetSwitch(second, SwitchSchedule.parse("1"))));
            half = latents(sd.txt2img("a cat").with(new UNetSwitch(second, SwitchSchedule.parse("0.5"))));
            explicit = latents(sd.txt2img("a cat").with(new UNetSwitch(second, SwitchSchedule.calls(firstHalf))));
        }
        try (StableDiffusion sd = StableDiffusion.load(
                ModelLocation.folder(TEACHER).withComponent("unet", student.resolve("unet")), LoadOptions.defaults())) {
            studentAlone = latents(sd.txt2img("a cat"));
        }
        assertArrayEquals(teacher, none, "switch=0 is the plain teacher");
        assertArrayEquals(studentAlone, all, "switch=1 is the student alone");
        assertFalse(Arrays.equals(half, teacher) || Arrays.equals(half, studentAlone), "a mid switch is neither");
        assertArrayEquals(half, explicit, "0.5 is the first half of the calls");
    }

    @Test
    void featureInheritanceRunsInsideEachUNetWithItsOwnCaches() {
        FeatureInheritance deepCache = FeatureInheritance.preset("deepcache-fast");
        float[] teacher;
        float[] none;
        float[] all;
        float[] studentAlone;
        try (StableDiffusion sd = StableDiffusion.load(TEACHER); LoadedUNet second = LoadedUNet.load(student)) {
            teacher = latents(sd.txt2img("a cat").with(deepCache));
            none = latents(sd.txt2img("a cat").with(deepCache).with(new UNetSwitch(second, SwitchSchedule.parse("0"))));
            all = latents(sd.txt2img("a cat").with(deepCache).with(new UNetSwitch(second, SwitchSchedule.parse("1"))));
            float[] mid = latents(sd.txt2img("a cat").with(deepCache)
                    .with(new UNetSwitch(second, SwitchSchedule.parse("0.5"))));
            for (float v : mid) {
                assertTrue(Float.isFinite(v));
            }
        }
        try (StableDiffusion sd = StableDiffusion.load(
                ModelLocation.folder(TEACHER).withComponent("unet", student.resolve("unet")), LoadOptions.defaults())) {
            studentAlone = latents(sd.txt2img("a cat").with(deepCache));
        }
        assertArrayEquals(teacher, none, "switch=0 with DeepCache is the teacher with DeepCache");
        assertArrayEquals(studentAlone, all, "switch=1 with DeepCache is the student with DeepCache");
    }

    private static float[] latents(GenerationBuilder request) {
        return request.steps(4).seed(11).generate().finalLatents().data();
    }
}
