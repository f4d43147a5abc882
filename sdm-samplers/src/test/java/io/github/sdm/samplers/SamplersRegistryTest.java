package io.github.sdm.samplers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Sampler names: short names over a model folder's configuration must behave as diffusers' full configurations. */
class SamplersRegistryTest {

    private static final List<String> SHORT_NAMES = List.of("ddim", "dpmpp_2m", "dpmpp_2m_karras", "dpmpp_3m",
            "dpmpp_2m_sde", "dpm_2m", "lcm", "euler", "euler_karras", "euler_a", "pndm", "lms", "unipc", "heun",
            "ddpm");
    private static final List<String> CLASS_NAMES = List.of("DDIMScheduler", "DPMSolverMultistepScheduler",
            "EulerDiscreteScheduler", "EulerAncestralDiscreteScheduler", "PNDMScheduler", "LMSDiscreteScheduler",
            "UniPCMultistepScheduler", "HeunDiscreteScheduler", "DDPMScheduler", "LCMScheduler");

    @Test
    void everyNameCreatesItsClass() {
        for (String name : SHORT_NAMES) {
            Sampler sampler = Samplers.create(name, TestResources.modelFolderConfig());
            assertEquals(Samplers.className(name), sampler.name(), name);
            assertTrue(Samplers.names().contains(name), name);
        }
        for (String name : CLASS_NAMES) {
            assertEquals(name, Samplers.create(name).name());
            assertTrue(Samplers.names().contains(name), name);
        }
    }

    @Test
    void aModelFolderConfigNamesItsOwnSampler() {
        Sampler sampler = Samplers.fromConfig(TestResources.modelFolderConfig());
        assertEquals("PNDMScheduler", sampler.name());
        // the folder's skip_prk_steps = true: PLMS repeats the second timestep
        assertArrayEquals(new double[] {751, 501, 501, 251, 1}, sampler.start(4, NoiseSource.none()).timesteps());
        SamplerConfigException e = assertThrows(SamplerConfigException.class,
                () -> Samplers.fromConfig(SamplerConfig.parse("{\"beta_start\": 0.001}")));
        assertEquals("_class_name", e.field());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        SamplerConfigException e = assertThrows(SamplerConfigException.class, () -> Samplers.create("dpmpp_9m"));
        assertEquals("sampler", e.field());
        assertEquals("dpmpp_9m", e.value());
        for (String name : SHORT_NAMES) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertTrue(e.getMessage().contains("DPMSolverMultistepScheduler"), e.getMessage());
    }

    @Test
    void callerOverridesWinOverShortNameOverrides() {
        Sampler sampler = Samplers.create("dpmpp_2m_karras", TestResources.modelFolderConfig(),
                Map.of("use_karras_sigmas", false));
        Sampler plain = Samplers.create("dpmpp_2m", TestResources.modelFolderConfig());
        assertArrayEquals(plain.start(10, NoiseSource.none()).timesteps(),
                sampler.start(10, NoiseSource.none()).timesteps());
    }

    /**
     * Each recorded run whose name is a short name ({@code dpmpp_2m_karras-10.json}) was made by diffusers from the SD
     * model folder configuration plus that name's settings: the registry must build the same sampler.
     */
    @TestFactory
    Stream<DynamicTest> shortNamesOverTheModelFolderMatchDiffusersConfigs() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getClassLoader().getResource("fixtures/schedulers").toURI());
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(folder)) {
            listing.filter(p -> p.toString().endsWith("-10.json")).sorted().forEach(files::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            SchedulerFixture fx = SchedulerFixture.read(file);
            String shortName = file.getFileName().toString().replace("-10.json", "");
            if (SHORT_NAMES.contains(shortName)) {
                tests.add(DynamicTest.dynamicTest(shortName, () -> assertSameBehaviour(
                        Samplers.create(shortName, TestResources.modelFolderConfig(), jsonMap(fx.stepKwargs())),
                        Samplers.create(fx.schedulerClass(), fx.samplerConfig()), fx)));
            }
        }
        assertTrue(tests.size() >= 12, "expected most short names among the fixtures, found " + tests.size());
        return tests.stream();
    }

    /**
     * The pipeline references record each case's short name and the full diffusers configuration it ran with: the
     * name with that configuration as options (the pipeline's route) builds the class the configuration names, and
     * img2img starts at the recorded timesteps.
     */
    @TestFactory
    Stream<DynamicTest> pipelineReferenceCasesBuildTheirSamplerFromShortName() {
        JsonReader reader = new JsonReader(new StringReader(TestResources.text("fixtures/tiny-sd-pipe/reference.json")));
        reader.setStrictness(Strictness.LENIENT);
        JsonArray cases = JsonParser.parseReader(reader).getAsJsonArray();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement element : cases) {
            JsonObject c = element.getAsJsonObject();
            String name = c.get("scheduler").getAsString();
            SamplerConfig full = SamplerConfig.of(c.getAsJsonObject("scheduler_config"));
            tests.add(DynamicTest.dynamicTest(c.get("id").getAsString() + " " + name, () -> {
                // as the pipeline builds it: the short name over the model folder, the case's fields as options
                // (a case need not use a named preset: its configuration may set any field)
                Sampler fromName = Samplers.create(name, TestResources.modelFolderConfig(),
                        jsonMap(c.getAsJsonObject("scheduler_config")));
                Sampler fromConfig = Samplers.create(Samplers.className(name), full);
                int steps = c.get("steps").getAsInt();
                assertArrayEquals(fromConfig.start(steps, NoiseSource.seeded(1)).timesteps(),
                        fromName.start(steps, NoiseSource.seeded(1)).timesteps());
                if (c.has("strength")) {
                    SamplingRun run = fromName.startAtStrength(steps, c.get("strength").getAsDouble(),
                            NoiseSource.none());
                    JsonArray expected = c.getAsJsonArray("timesteps");
                    double[] want = new double[expected.size()];
                    for (int i = 0; i < want.length; i++) {
                        want[i] = expected.get(i).getAsDouble();
                    }
                    assertArrayEquals(want, run.timesteps(), "img2img timesteps");
                }
            }));
        }
        return tests.stream();
    }

    private static Map<String, Object> jsonMap(JsonObject object) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        object.entrySet().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Same timesteps, and the same final sample from the fixture's start with the analytic model and its noise. */
    private static void assertSameBehaviour(Sampler actual, Sampler expected, SchedulerFixture fx) {
        assertEquals(expected.name(), actual.name());
        int steps = fx.numInferenceSteps();
        assertArrayEquals(expected.start(steps, NoiseSource.none()).timesteps(),
                actual.start(steps, NoiseSource.none()).timesteps());
        assertArrayEquals(run(expected, fx), run(actual, fx));
    }

    private static float[] run(Sampler sampler, SchedulerFixture fx) {
        List<float[]> noise = new ArrayList<>();
        fx.steps().forEach(s -> noise.addAll(s.noise()));
        SchedulerParityTest.StepwiseNoise source = new SchedulerParityTest.StepwiseNoise();
        SamplingRun run = sampler.start(fx.numInferenceSteps(), source);
        double[] t = run.timesteps();
        float[] x = fx.initialSample();
        for (int i = 0; i < t.length; i++) {
            source.replay(fx.steps().get(i).noise());
            x = run.step(SchedulerParityTest.AnalyticModel.predict(run.scaleModelInput(x, i), t[i], fx.c()), i, x);
        }
        return x;
    }
}
