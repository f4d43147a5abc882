package io.github.sdm.core.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.SafetensorsWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A diffusers model folder: {@code model_index.json} naming the components (each a sub-folder such as
 * {@code unet/} or {@code scheduler/}), their configs, tokenizer and weights. Components listed as
 * {@code [null, null]} (a removed safety checker, say) are treated as absent.
 */
public final class ModelFolder {
    /**
     * The file that makes a folder a diffusers model folder and names its components.
     */
    public static final String MODEL_INDEX = "model_index.json";

    private final Path root;
    private final ConfigFile index;
    private final Map<String, Component> components;

    private ModelFolder(Path root, ConfigFile index, Map<String, Component> components) {
        this.root = root;
        this.index = index;
        this.components = components;
    }

    /**
     * Opens a model folder and reads its {@code model_index.json}; components are read on demand.
     *
     * @param root the folder; symbolic links are followed
     * @return the folder
     * @throws ModelFormatException if {@code root} is missing or a file, has no {@code model_index.json}, or that file
     *     is not valid JSON or lists a component as other than {@code [library, class]} or {@code [null, null]}
     */
    public static ModelFolder open(Path root) {
        if (!Files.exists(root)) {
            throw new ModelFormatException("Model folder not found: " + root);
        }
        if (!Files.isDirectory(root)) {
            throw new ModelFormatException(root + " is a file, not a diffusers model folder (one holding "
                    + MODEL_INDEX + ")");
        }
        Path indexFile = root.resolve(MODEL_INDEX);
        if (!Files.isRegularFile(indexFile)) {
            throw new ModelFormatException("Not a diffusers model folder: " + indexFile + " is missing");
        }
        ConfigFile index = ConfigFile.read(indexFile);
        Map<String, Component> components = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : index.json().entrySet()) {
            Component c = component(indexFile, e.getKey(), e.getValue());
            if (c != null) {
                components.put(c.name(), c);
            }
        }
        return new ModelFolder(root, index, Collections.unmodifiableMap(components));
    }

    /** A component entry, or null for metadata ({@code _class_name}), options and {@code [null, null]}. */
    private static Component component(Path indexFile, String key, JsonElement value) {
        if (key.startsWith("_") || !value.isJsonArray()) {
            return null;
        }
        JsonArray pair = value.getAsJsonArray();
        if (pair.size() == 2 && pair.get(0).isJsonNull() && pair.get(1).isJsonNull()) {
            return null;
        }
        if (pair.size() != 2 || !isString(pair.get(0)) || !isString(pair.get(1))) {
            throw new ModelFormatException(indexFile + ": component '" + key
                    + "' must be [library, class] or [null, null], found " + value);
        }
        return new Component(key, pair.get(0).getAsString(), pair.get(1).getAsString());
    }

    private static boolean isString(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    /**
     * The folder itself.
     *
     * @return the path given to {@link #open}
     */
    public Path root() {
        return root;
    }

    /**
     * {@code model_index.json} itself, for options such as {@code requires_safety_checker}.
     *
     * @return the parsed index
     */
    public ConfigFile index() {
        return index;
    }

    /**
     * The pipeline class, e.g. {@code StableDiffusionPipeline}.
     *
     * @return {@code model_index.json}'s {@code _class_name}, or null if it has none
     * @throws ModelFormatException if {@code _class_name} is not a string
     */
    public String pipelineClass() {
        return index.string("_class_name", null);
    }

    /**
     * The components present, by name, in the order of {@code model_index.json}.
     *
     * @return name to component; unmodifiable
     */
    public Map<String, Component> components() {
        return components;
    }

    /**
     * Whether {@code model_index.json} lists the component (not as {@code [null, null]}).
     *
     * @param name the component, e.g. {@code "unet"}
     * @return true if listed
     */
    public boolean has(String name) {
        return components.containsKey(name);
    }

    /**
     * A component's entry in {@code model_index.json}.
     *
     * @param name the component, e.g. {@code "unet"}
     * @return its library and class
     * @throws ModelFormatException if the index does not list it (the message lists those it does)
     */
    public Component component(String name) {
        Component c = components.get(name);
        if (c == null) {
            throw new ModelFormatException(root.resolve(MODEL_INDEX) + ": no component '" + name + "' (components: "
                    + components.keySet() + ")");
        }
        return c;
    }

    /**
     * The component's folder, checked to exist.
     *
     * @param name the component, e.g. {@code "unet"}
     * @return the sub-folder of that name
     * @throws ModelFormatException if the index does not list the component or its folder is missing
     */
    public Path componentPath(String name) {
        component(name);
        Path folder = root.resolve(name);
        if (!Files.isDirectory(folder)) {
            throw new ModelFormatException("Model folder " + root + ": component '" + name + "' is listed in "
                    + MODEL_INDEX + " but its folder " + folder + " is missing");
        }
        return folder;
    }

    /**
     * The component's config: {@code config.json} for models, {@code scheduler_config.json} for schedulers,
     * {@code tokenizer_config.json} for tokenizers.
     *
     * @param name the component, e.g. {@code "unet"}
     * @return the first of those files the component's folder holds, parsed
     * @throws ModelFormatException if the component or its folder is missing, it holds none of those files, or the
     *     file is not a valid JSON object
     */
    public ConfigFile config(String name) {
        Path folder = componentPath(name);
        for (String fileName : new String[] {"config.json", "scheduler_config.json", "tokenizer_config.json"}) {
            Path file = folder.resolve(fileName);
            if (Files.isRegularFile(file)) {
                return ConfigFile.read(file);
            }
        }
        throw new ModelFormatException("Component '" + name + "' has no config: expected " + folder.resolve("config.json")
                + " (or scheduler_config.json, tokenizer_config.json)");
    }

    /**
     * The scheduler's {@code scheduler/scheduler_config.json}, the base of every sampler's configuration.
     *
     * @return the parsed config
     * @throws ModelFormatException if the scheduler component, its folder or its config is missing, or the file is not
     *     a valid JSON object
     */
    public ConfigFile schedulerConfig() {
        Path file = componentPath("scheduler").resolve("scheduler_config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("Scheduler config not found: " + file);
        }
        return ConfigFile.read(file);
    }

    /**
     * The {@code tokenizer/} folder, for {@link io.github.sdm.core.tokenizer.ClipTokenizer#load(Path)}.
     *
     * @return the tokenizer's folder
     * @throws ModelFormatException if the index does not list the tokenizer or its folder is missing
     */
    public Path tokenizerPath() {
        return componentPath("tokenizer");
    }

    /**
     * The component's safetensors weights (single file or sharded); the caller closes them.
     *
     * @param name the component, e.g. {@code "unet"}
     * @return the opened weights, every header checked
     * @throws ModelFormatException if the component or its folder is missing, it holds no safetensors weights, or a
     *     file is damaged
     */
    public SafetensorsWeights weights(String name) {
        return SafetensorsWeights.openComponent(componentPath(name));
    }

    /**
     * As {@link #weights(String)}, for a variant such as {@code "fp16"}.
     *
     * @param name the component, e.g. {@code "unet"}
     * @param variant the variant infix of the file names ({@code diffusion_pytorch_model.fp16.safetensors}), or null
     *     for the plain files
     * @return the opened weights, every header checked
     * @throws ModelFormatException if the component or its folder is missing, it holds no weights of that variant, or
     *     a file is damaged
     */
    public SafetensorsWeights weights(String name, String variant) {
        return SafetensorsWeights.openComponent(componentPath(name), variant);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
