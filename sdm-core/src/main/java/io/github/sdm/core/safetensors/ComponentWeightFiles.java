package io.github.sdm.core.safetensors;

import io.github.sdm.core.error.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the weights of one component folder of a diffusers model ({@code unet/}, {@code vae/},
 * {@code text_encoder/}, ...), with the file names diffusers and transformers use: a single
 * {@code diffusion_pytorch_model.safetensors} or {@code model.safetensors}, or a sharded checkpoint's
 * {@code *.safetensors.index.json}. A variant such as {@code fp16} is spelled as diffusers spells it:
 * {@code diffusion_pytorch_model.fp16.safetensors}, {@code diffusion_pytorch_model.safetensors.index.fp16.json}.
 */
public final class ComponentWeightFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentWeightFiles.class);
    private static final List<String> BASE_NAMES = List.of("diffusion_pytorch_model", "model");
    private static final Pattern VARIANT_FILE = Pattern.compile(
            "(?:diffusion_pytorch_model|model)(?:\\.([A-Za-z0-9_-]+)\\.safetensors|\\.safetensors\\.index\\.([A-Za-z0-9_-]+)\\.json)");

    private ComponentWeightFiles() {
    }

    /** The file names looked for, in order of preference, for {@code variant} (null: no variant). */
    public static List<String> candidateNames(String variant) {
        List<String> names = new ArrayList<>();
        for (String base : BASE_NAMES) {
            if (variant == null) {
                names.add(base + ".safetensors");
                names.add(base + ".safetensors.index.json");
            } else {
                names.add(base + "." + variant + ".safetensors");
                names.add(base + ".safetensors.index." + variant + ".json");
            }
        }
        return names;
    }

    /**
     * The weight file (or shard index) of {@code folder}. Without a variant the plain names win; if only
     * one variant is present (say just {@code fp16} files), it is used, since it is the only choice.
     */
    public static Path locate(Path folder, String variant) {
        if (!Files.isDirectory(folder)) {
            throw new ModelFormatException("Component folder not found: " + folder);
        }
        for (String name : candidateNames(variant)) {
            Path candidate = folder.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        TreeSet<String> variants = variantsIn(folder);
        if (variant == null && variants.size() == 1) {
            Path found = locate(folder, variants.first());
            LOG.info("{}: no plain weight file, using the only variant present: {}", folder, found.getFileName());
            return found;
        }
        StringBuilder message = new StringBuilder("No weights found in " + folder + ": expected one of "
                + candidateNames(variant));
        if (!variants.isEmpty()) {
            message.append("; variants present: ").append(variants);
        }
        for (String base : BASE_NAMES) {
            if (Files.exists(folder.resolve(base + ".bin")) || Files.exists(folder.resolve("pytorch_model.bin"))) {
                message.append("; only PyTorch pickle (.bin) weights are present, which sdm does not read:"
                        + " convert them to safetensors");
                break;
            }
        }
        throw new ModelFormatException(message.toString());
    }

    private static TreeSet<String> variantsIn(Path folder) {
        TreeSet<String> variants = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(f -> {
                Matcher m = VARIANT_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    variants.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            });
        } catch (IOException e) {
            throw new ModelFormatException("Cannot list component folder " + folder + ": " + e, e);
        }
        return variants;
    }
}
