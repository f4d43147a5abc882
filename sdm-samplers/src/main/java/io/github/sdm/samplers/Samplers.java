package io.github.sdm.samplers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Creates samplers by name: a diffusers class name ({@code DPMSolverMultistepScheduler}) or a short name
 * ({@code dpmpp_2m_karras}) that stands for a class plus overrides (here {@code algorithm_type = dpmsolver++},
 * {@code solver_order = 2}, {@code use_karras_sigmas = true}).
 *
 * <p>The configuration is layered as in diffusers' {@code from_config}: the model folder's
 * {@code scheduler_config.json} (whatever class it names), then the short name's overrides, then the caller's
 * overrides; fields the chosen class does not know are ignored, missing ones take the class defaults. The
 * caller's overrides are checked first: a field no sampler reads (a typo) or a value of the wrong type is refused,
 * whichever sampler is chosen.
 */
public final class Samplers {

    private record Alias(String className, Map<String, Object> overrides) {
    }

    private static final Map<String, Function<SamplerConfig, Sampler>> CLASSES = new LinkedHashMap<>();
    private static final Map<String, Alias> ALIASES = new LinkedHashMap<>();

    static {
        CLASSES.put(DdimSampler.NAME, DdimSampler::new);
        CLASSES.put(DpmSolverMultistepSampler.NAME, DpmSolverMultistepSampler::new);
        CLASSES.put(EulerSampler.NAME, EulerSampler::new);
        CLASSES.put(EulerAncestralSampler.NAME, EulerAncestralSampler::new);
        CLASSES.put(HeunSampler.NAME, HeunSampler::new);
        CLASSES.put(LmsSampler.NAME, LmsSampler::new);
        CLASSES.put(PndmSampler.NAME, PndmSampler::new);
        CLASSES.put(UniPcSampler.NAME, UniPcSampler::new);
        CLASSES.put(DdpmSampler.NAME, DdpmSampler::new);
        CLASSES.put(LcmSampler.NAME, LcmSampler::new);

        alias("ddim", DdimSampler.NAME, Map.of());
        alias("dpmpp_2m", DpmSolverMultistepSampler.NAME, Map.of("algorithm_type", "dpmsolver++", "solver_order", 2));
        alias("dpmpp_2m_karras", DpmSolverMultistepSampler.NAME,
                Map.of("algorithm_type", "dpmsolver++", "solver_order", 2, "use_karras_sigmas", true));
        alias("dpmpp_3m", DpmSolverMultistepSampler.NAME, Map.of("algorithm_type", "dpmsolver++", "solver_order", 3));
        alias("dpmpp_2m_sde", DpmSolverMultistepSampler.NAME,
                Map.of("algorithm_type", "sde-dpmsolver++", "solver_order", 2));
        alias("dpmpp_2m_sde_karras", DpmSolverMultistepSampler.NAME,
                Map.of("algorithm_type", "sde-dpmsolver++", "solver_order", 2, "use_karras_sigmas", true));
        alias("dpm_2m", DpmSolverMultistepSampler.NAME,
                Map.of("algorithm_type", "dpmsolver", "solver_order", 2, "final_sigmas_type", "sigma_min"));
        alias("euler", EulerSampler.NAME, Map.of());
        alias("euler_karras", EulerSampler.NAME, Map.of("use_karras_sigmas", true));
        alias("euler_a", EulerAncestralSampler.NAME, Map.of());
        alias("heun", HeunSampler.NAME, Map.of());
        alias("pndm", PndmSampler.NAME, Map.of("skip_prk_steps", true));
        alias("unipc", UniPcSampler.NAME, Map.of());
        alias("ddpm", DdpmSampler.NAME, Map.of());
        alias("lcm", LcmSampler.NAME, Map.of());
        alias("lms", LmsSampler.NAME, Map.of());
        alias("lms_karras", LmsSampler.NAME, Map.of("use_karras_sigmas", true));
    }

    private Samplers() {
    }

    private static void alias(String name, String className, Map<String, Object> overrides) {
        ALIASES.put(name, new Alias(className, Collections.unmodifiableMap(new LinkedHashMap<>(overrides))));
    }

    /**
     * The sampler a model folder's {@code scheduler_config.json} asks for by its {@code _class_name}, configured from
     * it (the default when the caller does not choose a sampler).
     *
     * @param modelConfig the model folder's scheduler configuration
     * @return the sampler of its class
     * @throws SamplerConfigException if the configuration names no class or an unknown one, or a field has the
     *     wrong type or an unsupported value
     */
    public static Sampler fromConfig(SamplerConfig modelConfig) {
        if (!modelConfig.isSet("_class_name")) {
            throw new SamplerConfigException("_class_name", "(missing)",
                    "the scheduler configuration does not name its class; choose a sampler by name");
        }
        return create(modelConfig.getString("_class_name", null), modelConfig, Map.of());
    }

    /**
     * A sampler with the class defaults plus {@code name}'s overrides (no model configuration).
     *
     * @param name a short name or diffusers class name, see {@link #names()}
     * @return the sampler
     * @throws SamplerConfigException for an unknown name (the message lists the known ones)
     */
    public static Sampler create(String name) {
        return create(name, SamplerConfig.empty(), Map.of());
    }

    /**
     * A sampler configured from a model folder's scheduler configuration, then {@code name}'s overrides.
     *
     * @param name a short name or diffusers class name, see {@link #names()}
     * @param baseConfig the model folder's {@code scheduler_config.json}, or {@link SamplerConfig#empty()}
     * @return the sampler
     * @throws SamplerConfigException for an unknown name (the message lists the known ones) or an invalid setting
     */
    public static Sampler create(String name, SamplerConfig baseConfig) {
        return create(name, baseConfig, Map.of());
    }

    /**
     * A sampler configured from a model folder's scheduler configuration, then {@code name}'s overrides, then the
     * caller's.
     *
     * @param name a short name or diffusers class name, see {@link #names()}
     * @param baseConfig the model folder's {@code scheduler_config.json}, or {@link SamplerConfig#empty()}
     * @param overrides fields that win over both, e.g. {@code Map.of("eta", 0.5)}; each must be a field some sampler
     *     reads, with a value of its type ({@code null} unsets a field)
     * @return the sampler
     * @throws SamplerConfigException for an unknown name (the message lists the known ones), an unknown override
     *     field (the message suggests the closest known one and lists them all) or an invalid setting
     */
    public static Sampler create(String name, SamplerConfig baseConfig, Map<String, ?> overrides) {
        Alias alias = ALIASES.get(name);
        String className = alias != null ? alias.className() : name;
        Function<SamplerConfig, Sampler> factory = CLASSES.get(className);
        if (factory == null) {
            throw new SamplerConfigException("sampler", name, "unknown sampler; known names: " + String.join(", ", names()));
        }
        SamplerConfig requested = SamplerConfig.of(overrides);
        SamplerFields.checkRequested(requested);
        SamplerConfig config = baseConfig;
        if (alias != null) {
            config = config.withOverrides(alias.overrides());
        }
        return factory.apply(config.withOverrides(requested));
    }

    /**
     * Refuses overrides as {@link #create(String, SamplerConfig, Map)} does: a field no sampler reads, or a value of the
     * wrong type. Lets a caller check a user's options before loading a model.
     *
     * @param overrides field name to value, as for {@link #create(String, SamplerConfig, Map)}
     * @throws SamplerConfigException for an unknown field (the message suggests the closest known one) or a value of
     *     the wrong type
     */
    public static void checkOverrides(Map<String, ?> overrides) {
        SamplerFields.checkRequested(SamplerConfig.of(overrides));
    }

    /**
     * Every field a caller may override (those some sampler reads), sorted.
     *
     * @return the diffusers field names
     */
    public static Set<String> settingNames() {
        return SamplerFields.names();
    }

    /**
     * Short names, then diffusers class names.
     *
     * @return every name {@link #create(String)} accepts; unmodifiable
     */
    public static List<String> names() {
        List<String> out = new ArrayList<>(ALIASES.keySet());
        out.addAll(new TreeSet<>(CLASSES.keySet()));
        return Collections.unmodifiableList(out);
    }

    /**
     * The diffusers class a name stands for.
     *
     * @param name a short name or diffusers class name
     * @return the class name, e.g. {@code DPMSolverMultistepScheduler} for {@code dpmpp_2m}
     * @throws SamplerConfigException for an unknown name (the message lists the known ones)
     */
    public static String className(String name) {
        Alias alias = ALIASES.get(name);
        if (alias != null) {
            return alias.className();
        }
        if (CLASSES.containsKey(name)) {
            return name;
        }
        throw new SamplerConfigException("sampler", name, "unknown sampler; known names: " + String.join(", ", names()));
    }
}
