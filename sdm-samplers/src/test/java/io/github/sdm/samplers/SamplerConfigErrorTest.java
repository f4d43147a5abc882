package io.github.sdm.samplers;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad settings are refused with a message that names the field and the value. */
class SamplerConfigErrorTest {

    private static final List<String> ALL_CLASSES = List.of("DDIMScheduler", "DPMSolverMultistepScheduler",
            "EulerDiscreteScheduler", "EulerAncestralDiscreteScheduler", "PNDMScheduler", "LMSDiscreteScheduler",
            "UniPCMultistepScheduler", "HeunDiscreteScheduler", "DDPMScheduler", "LCMScheduler");

    private static void assertRefused(String field, String value, Executable action) {
        SamplerConfigException e = assertThrows(SamplerConfigException.class, action);
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(value, e.value(), e.getMessage());
        assertTrue(e.getMessage().contains(field) && e.getMessage().contains(value), e.getMessage());
    }

    private static Sampler create(String name, Map<String, ?> overrides) {
        return Samplers.create(name, TestResources.modelFolderConfig(), overrides);
    }

    @Test
    void unknownEnumeratedValuesAreRefusedByEveryClass() {
        for (String cls : ALL_CLASSES) {
            assertRefused("beta_schedule", "cubic", () -> create(cls, Map.of("beta_schedule", "cubic")));
            assertRefused("prediction_type", "x0", () -> create(cls, Map.of("prediction_type", "x0")));
            assertRefused("timestep_spacing", "uniform", () -> create(cls, Map.of("timestep_spacing", "uniform")));
        }
        assertRefused("algorithm_type", "dpmsolver+++", () -> create("dpmpp_2m", Map.of("algorithm_type", "dpmsolver+++")));
        assertRefused("solver_type", "rk4", () -> create("dpmpp_2m", Map.of("solver_type", "rk4")));
        assertRefused("final_sigmas_type", "one", () -> create("dpmpp_2m", Map.of("final_sigmas_type", "one")));
        assertRefused("solver_type", "bh3", () -> create("unipc", Map.of("solver_type", "bh3")));
        assertRefused("interpolation_type", "cubic", () -> create("euler", Map.of("interpolation_type", "cubic")));
        assertRefused("variance_type", "fixed_medium", () -> create("ddpm", Map.of("variance_type", "fixed_medium")));
    }

    @Test
    void impossibleCombinationsAreRefused() {
        assertRefused("final_sigmas_type", "zero",
                () -> create("dpm_2m", Map.of("final_sigmas_type", "zero")));
        assertRefused("solver_order", "4", () -> create("dpmpp_2m", Map.of("solver_order", 4)));
        assertRefused("solver_order", "3", () -> create("dpmpp_2m_sde", Map.of("solver_order", 3)));
        assertRefused("variance_type", "learned_range", () -> create("ddpm", Map.of("variance_type", "learned_range")));
        assertRefused("variance_type", "learned", () -> create("dpmpp_2m", Map.of("variance_type", "learned")));
        assertRefused("prediction_type", "sample", () -> create("euler_a", Map.of("prediction_type", "sample")));
        assertRefused("trained_betas", "3 values", () -> create("ddim", Map.of("trained_betas", new double[] {0.1, 0.2, 0.3})));
        assertRefused("beta_end", "1.5", () -> create("ddim", Map.of("beta_schedule", "linear", "beta_end", 1.5)));
    }

    @Test
    void wronglyTypedValuesAreRefused() {
        assertRefused("beta_start", "\"abc\"", () -> create("ddim", Map.of("beta_start", "abc")));
        assertRefused("use_karras_sigmas", "\"yes\"", () -> create("euler", Map.of("use_karras_sigmas", "yes")));
        assertRefused("solver_order", "2.5", () -> create("dpmpp_2m", Map.of("solver_order", 2.5)));
        assertRefused("prediction_type", "1", () -> create("ddim", Map.of("prediction_type", 1)));
        assertRefused("disable_corrector", "3", () -> create("unipc", Map.of("disable_corrector", 3)));
    }

    @Test
    void stepCountsOutsideTheScheduleAreRefused() {
        for (String cls : ALL_CLASSES) {
            Sampler sampler = create(cls, Map.of());
            assertRefused("num_inference_steps", "0", () -> sampler.start(0, NoiseSource.none()));
            assertRefused("num_inference_steps", "-3", () -> sampler.start(-3, NoiseSource.none()));
            assertRefused("num_inference_steps", "1001", () -> sampler.start(1001, NoiseSource.none()));
            assertRefused("strength", "1.5", () -> sampler.startAtStrength(10, 1.5, NoiseSource.none()));
            assertRefused("strength", "0.0", () -> sampler.startAtStrength(10, 0.0, NoiseSource.none()));
        }
        assertRefused("strength", "0.05", () -> create("ddim", Map.of()).startAtStrength(10, 0.05, NoiseSource.none()));
        assertRefused("num_inference_steps", "60", () -> create("lcm", Map.of()).start(60, NoiseSource.none()));
        assertRefused("num_inference_steps", "3",
                () -> create("pndm", Map.of("skip_prk_steps", false)).start(3, NoiseSource.none()));
    }

    @Test
    void unknownFieldsAreIgnoredAndKnownOnesReadLeniently() {
        SamplerConfig config = SamplerConfig.parse("{\"_class_name\": \"PNDMScheduler\", \"_diffusers_version\": \"0.6.0\","
                + " \"beta_start\": 0.00085, \"beta_end\": 0.012, \"beta_schedule\": \"scaled_linear\","
                + " \"lambda_min_clipped\": -Infinity, \"some_future_option\": [1, 2], \"trained_betas\": null,"
                + " \"num_train_timesteps\": 1000.0}");
        for (String cls : ALL_CLASSES) {
            assertDoesNotThrow(() -> Samplers.create(cls, config).start(10, NoiseSource.seeded(0)), cls);
        }
        assertEquals(Double.NEGATIVE_INFINITY, config.getDouble("lambda_min_clipped", 0));
    }

    @Test
    void aMistypedOverrideIsRefusedWithTheClosestKnownName() {
        SamplerConfigException e = assertThrows(SamplerConfigException.class,
                () -> create("euler", Map.of("use_karas_sigmas", true)));
        assertEquals("use_karas_sigmas", e.field());
        assertEquals("sampler setting 'use_karas_sigmas' = true: no sampler has this setting; did you mean"
                + " use_karras_sigmas? known settings: " + String.join(", ", Samplers.settingNames()), e.getMessage());
        assertTrue(Samplers.settingNames().containsAll(List.of("eta", "use_karras_sigmas", "steps_offset", "order")));
        e = assertThrows(SamplerConfigException.class, () -> create("ddim", Map.of("wobble", 1)));
        assertTrue(e.getMessage().startsWith("sampler setting 'wobble' = 1: no sampler has this setting; known settings:"),
                e.getMessage());
        assertRefused("_class_name", "\"EulerDiscreteScheduler\"",
                () -> create("euler", Map.of("_class_name", "EulerDiscreteScheduler")));
    }

    /** A field the chosen sampler does not read is still type-checked: it may be meant for another sampler. */
    @Test
    void overridesAreTypeCheckedWhicheverSamplerIsChosen() {
        SamplerConfigException e = assertThrows(SamplerConfigException.class,
                () -> create("ddim", Map.of("use_karras_sigmas", "yes")));
        assertEquals("sampler setting 'use_karras_sigmas' = \"yes\": must be true or false", e.getMessage());
        assertRefused("s_churn", "\"lots\"", () -> create("dpmpp_2m", Map.of("s_churn", "lots")));
        assertRefused("order", "1.5", () -> create("ddim", Map.of("order", 1.5)));
        assertRefused("disable_corrector", "3", () -> create("euler", Map.of("disable_corrector", 3)));
        // a known field of the right type that the sampler does not read is ignored, and null unsets a field
        Map<String, Object> unset = new java.util.HashMap<>();
        unset.put("steps_offset", null);
        assertDoesNotThrow(() -> create("ddim", Map.of("use_karras_sigmas", true, "s_noise", 1.0)));
        assertEquals(0, create("ddim", unset).start(10, NoiseSource.none()).timesteps()[9]);
    }

    /** The model folders' own configs carry diffusers' bookkeeping and other classes' fields; they keep loading. */
    @Test
    void everySchedulerConfigOfTheProjectLoadsWithEverySampler() throws IOException {
        List<Path> configs = List.of(Path.of("src/test/resources/fixtures/tiny-sd-pipe/scheduler_config.json"),
                Path.of("../models/tiny-sd/scheduler/scheduler_config.json"),
                Path.of("../sdm-bench/src/main/resources/io/github/sdm/bench/model/sd15/scheduler_config.json"));
        for (Path file : configs) {
            SamplerConfig config = SamplerConfig.parse(Files.readString(file));
            assertDoesNotThrow(() -> Samplers.fromConfig(config).start(20, NoiseSource.seeded(0)), file.toString());
            for (String name : Samplers.names()) {
                assertDoesNotThrow(() -> Samplers.create(name, config, Map.of()).start(20, NoiseSource.seeded(0)),
                        file + " with " + name);
            }
        }
    }

    @Test
    void tooManyStepsForTheOffsetNameTheLimit() {
        Sampler pndm = create("pndm", Map.of());
        SamplerConfigException e = assertThrows(SamplerConfigException.class, () -> pndm.start(1000, NoiseSource.none()));
        assertEquals("num_inference_steps", e.field());
        assertEquals("steps must be at most 999 for this model (num_train_timesteps 1000, steps_offset 1), got 1000",
                e.getMessage());
        assertDoesNotThrow(() -> pndm.start(999, NoiseSource.none()));
        // DPM-Solver places one point more than it runs, so its limit is one step lower
        Sampler dpm = create("dpmpp_2m", Map.of("timestep_spacing", "leading"));
        e = assertThrows(SamplerConfigException.class, () -> dpm.start(999, NoiseSource.none()));
        assertEquals("steps must be at most 998 for this model (num_train_timesteps 1000, steps_offset 1), got 999",
                e.getMessage());
        assertDoesNotThrow(() -> dpm.start(998, NoiseSource.none()));
    }

    /** Strength 0 is in range (as in diffusers); a strength that leaves no step says how much is needed. */
    @Test
    void aStrengthTooSmallForOneStepNamesTheSmallestThatWorks() {
        Sampler ddim = create("ddim", Map.of());
        SamplerConfigException e = assertThrows(SamplerConfigException.class,
                () -> ddim.startAtStrength(20, 0.01, NoiseSource.none()));
        assertEquals("strength 0.01 with 20 steps leaves no denoising step; use at least 0.05", e.getMessage());
        assertEquals("strength", e.field());
        assertEquals(1, ddim.startAtStrength(20, 0.05, NoiseSource.none()).timesteps().length);
        e = assertThrows(SamplerConfigException.class, () -> ddim.startAtStrength(3, 0.0, NoiseSource.none()));
        assertEquals("strength 0.0 with 3 steps leaves no denoising step; use at least 0.34", e.getMessage());
        assertEquals(1, ddim.startAtStrength(3, 0.34, NoiseSource.none()).timesteps().length);
        e = assertThrows(SamplerConfigException.class, () -> ddim.startAtStrength(3, -0.1, NoiseSource.none()));
        assertEquals("sampler setting 'strength' = -0.1: must lie in [0, 1]", e.getMessage());
        Sampler heun = create("heun", Map.of());
        e = assertThrows(SamplerConfigException.class, () -> heun.startAtStrength(7, 0.1, NoiseSource.none()));
        assertTrue(e.getMessage().endsWith("use at least 0.15"), e.getMessage());
        // LCM draws its steps from original_inference_steps (50): 4 steps need 4 of them
        Sampler lcm = create("lcm", Map.of());
        e = assertThrows(SamplerConfigException.class, () -> lcm.startAtStrength(4, 0.0, NoiseSource.none()));
        assertEquals("strength 0.0 with 4 steps leaves no denoising step; use at least 0.08", e.getMessage());
        assertEquals(4, lcm.startAtStrength(4, 0.08, NoiseSource.none()).timesteps().length);
    }

    @Test
    void malformedJsonIsRefused() {
        assertRefused("scheduler_config", "[1, 2]", () -> SamplerConfig.parse("[1, 2]"));
        SamplerConfigException e = assertThrows(SamplerConfigException.class, () -> SamplerConfig.parse("{\"a\": "));
        assertEquals("scheduler_config", e.field());
    }
}
