package io.github.sdm.core.model;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where a model's files are: a diffusers folder, optionally with a single-file checkpoint (original LDM
 * key names) that supplies the weights while the folder supplies configs and tokenizer, and optionally
 * network components taken from other folders (a TAESD or fine-tuned VAE, a distilled UNet) while the rest
 * comes from the main folder.
 *
 * @param folder the diffusers folder: {@code model_index.json}, configs, tokenizer, and the weights unless a
 *     checkpoint gives them
 * @param checkpoint a single-file checkpoint with original LDM key names that supplies the weights, or null
 * @param components component name ({@code "unet"}, {@code "vae"}, {@code "text_encoder"}) to the folder
 *     it is loaded from instead (a component folder: {@code config.json} and weights); empty for none
 */
public record ModelLocation(Path folder, Path checkpoint, Map<String, Path> components) {

    /** The networks whose folder may be given separately. */
    public static final Set<String> OVERRIDABLE_COMPONENTS = Set.of("text_encoder", "unet", "vae");

    /**
     * Checks the components and copies them.
     *
     * @param folder the diffusers folder
     * @param checkpoint a single-file checkpoint supplying the weights, or null
     * @param components component name to the folder it is loaded from instead
     * @throws InvalidRequestException if a component other than {@link #OVERRIDABLE_COMPONENTS} is given
     */
    public ModelLocation {
        components = Map.copyOf(components);
        for (String name : components.keySet()) {
            if (!OVERRIDABLE_COMPONENTS.contains(name)) {
                throw new InvalidRequestException("component '" + name + "' cannot come from another folder; "
                        + "these can: " + OVERRIDABLE_COMPONENTS);
            }
        }
    }

    /**
     * A location with no component taken from another folder.
     *
     * @param folder the diffusers folder
     * @param checkpoint a single-file LDM checkpoint supplying the weights, or null for the folder's own
     */
    public ModelLocation(Path folder, Path checkpoint) {
        this(folder, checkpoint, Map.of());
    }

    /**
     * A diffusers folder, everything read from it.
     *
     * @param folder the folder (with {@code model_index.json}); symbolic links are followed
     * @return the location (not checked to exist until it is loaded)
     */
    public static ModelLocation folder(Path folder) {
        return new ModelLocation(folder, null);
    }

    /**
     * A single-file checkpoint (original LDM key names, safetensors) whose configs and tokenizer come from a
     * diffusers folder of the same architecture.
     *
     * @param checkpoint the checkpoint file
     * @param configFolder the diffusers folder giving configs and tokenizer
     * @return the location (not checked to exist until it is loaded)
     */
    public static ModelLocation singleFile(Path checkpoint, Path configFolder) {
        return new ModelLocation(configFolder, checkpoint);
    }

    /**
     * This location with {@code name} ({@code "vae"}, {@code "unet"}, {@code "text_encoder"}) loaded from
     * {@code componentFolder}; a later call for the same name replaces an earlier one.
     *
     * @param name the component
     * @param componentFolder a component folder ({@code config.json} and weights)
     * @return a new location; this one is unchanged
     * @throws InvalidRequestException if {@code componentFolder} is null or {@code name} is not one of
     *     {@link #OVERRIDABLE_COMPONENTS}
     */
    public ModelLocation withComponent(String name, Path componentFolder) {
        if (componentFolder == null) {
            throw new InvalidRequestException("the folder of component '" + name + "' must not be null");
        }
        Map<String, Path> more = new LinkedHashMap<>(components);
        more.put(name, componentFolder);
        return new ModelLocation(folder, checkpoint, more);
    }

    /**
     * Whether a single-file checkpoint supplies the weights.
     *
     * @return true if {@link #checkpoint()} is set
     */
    public boolean isSingleFile() {
        return checkpoint != null;
    }

    /**
     * Whether {@code name} comes from its own folder rather than the main folder or checkpoint.
     *
     * @param name the component, e.g. {@code "vae"}
     * @return true if given with {@link #withComponent}
     */
    public boolean isOverridden(String name) {
        return components.containsKey(name);
    }

    /**
     * The folder {@code name} is read from: its override, else the main folder's sub-folder.
     *
     * @param name the component, e.g. {@code "vae"}
     * @return the folder (not checked to exist)
     */
    public Path componentFolder(String name) {
        Path override = components.get(name);
        return override != null ? override : folder.resolve(name);
    }

    /**
     * Fails with a clear message when the folder, checkpoint or a component folder is missing, when a file is
     * given as the model folder, or when the folder holds no model.
     *
     * @throws ModelFormatException if the folder is missing, is a file, or has no {@code model_index.json}, the
     *     checkpoint is not a file, or a component folder is missing
     */
    public void requireExists() {
        if (folder == null || !Files.exists(folder)) {
            throw new ModelFormatException("Model folder not found: " + folder);
        }
        if (!Files.isDirectory(folder)) {
            throw new ModelFormatException("The model folder " + folder + " is a file, not a folder: give a diffusers "
                    + "folder (with model_index.json)" + (isSingleFile() ? ""
                    : "; a single-file checkpoint is given as the checkpoint, with such a folder for its configs"));
        }
        if (!Files.isRegularFile(folder.resolve("model_index.json"))) {
            throw new ModelFormatException("Not a diffusers model folder (no model_index.json): " + folder);
        }
        if (checkpoint != null && !Files.isRegularFile(checkpoint)) {
            throw new ModelFormatException("Checkpoint file not found: " + checkpoint);
        }
        components.forEach((name, path) -> {
            if (!Files.isDirectory(path)) {
                throw new ModelFormatException("Folder of component '" + name + "' not found: " + path);
            }
        });
    }
}
