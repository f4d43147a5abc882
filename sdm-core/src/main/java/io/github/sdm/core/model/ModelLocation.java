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
 * @param components component name ({@code "unet"}, {@code "vae"}, {@code "text_encoder"}) to the folder
 *     it is loaded from instead (a component folder: {@code config.json} and weights); empty for none
 */
public record ModelLocation(Path folder, Path checkpoint, Map<String, Path> components) {

    /** The networks whose folder may be given separately. */
    public static final Set<String> OVERRIDABLE_COMPONENTS = Set.of("text_encoder", "unet", "vae");

    public ModelLocation {
        components = Map.copyOf(components);
        for (String name : components.keySet()) {
            if (!OVERRIDABLE_COMPONENTS.contains(name)) {
                throw new InvalidRequestException("component '" + name + "' cannot come from another folder; "
                        + "these can: " + OVERRIDABLE_COMPONENTS);
            }
        }
    }

    public ModelLocation(Path folder, Path checkpoint) {
        this(folder, checkpoint, Map.of());
    }

    public static ModelLocation folder(Path folder) {
        return new ModelLocation(folder, null);
    }

    public static ModelLocation singleFile(Path checkpoint, Path configFolder) {
        return new ModelLocation(configFolder, checkpoint);
    }

    /** This location with {@code name} ({@code "vae"}, {@code "unet"}, {@code "text_encoder"}) loaded from {@code componentFolder}. */
    public ModelLocation withComponent(String name, Path componentFolder) {
        if (componentFolder == null) {
            throw new InvalidRequestException("the folder of component '" + name + "' must not be null");
        }
        Map<String, Path> more = new LinkedHashMap<>(components);
        more.put(name, componentFolder);
        return new ModelLocation(folder, checkpoint, more);
    }

    public boolean isSingleFile() {
        return checkpoint != null;
    }

    /** Whether {@code name} comes from its own folder rather than the main folder or checkpoint. */
    public boolean isOverridden(String name) {
        return components.containsKey(name);
    }

    /** The folder {@code name} is read from: its override, else the main folder's sub-folder. */
    public Path componentFolder(String name) {
        Path override = components.get(name);
        return override != null ? override : folder.resolve(name);
    }

    /**
     * Fails with a clear message when the folder, checkpoint or a component folder is missing, when a file is
     * given as the model folder, or when the folder holds no model.
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
