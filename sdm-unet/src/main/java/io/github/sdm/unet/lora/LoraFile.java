package io.github.sdm.unet.lora;

import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a LoRA safetensors file in either layout found in the wild and matches its layers to a model's parts:
 * <ul>
 *   <li>kohya / A1111: {@code lora_unet_<part path with _>.lora_down.weight}, {@code .lora_up.weight},
 *       {@code .alpha} ({@code lora_te_...} for the text encoder), LoCon adapters on 3x3 convolutions included
 *       (down {@code [r, in, 3, 3]}, up {@code [out, r, 1, 1]}); scale alpha / rank (1 without alpha);</li>
 *   <li>diffusers / PEFT: {@code unet.<part>.lora_A.weight} (down), {@code lora_B.weight} (up),
 *       {@code text_encoder.<part>...}; scale 1.</li>
 * </ul>
 * A key of neither form, or naming no part of the model, is an error naming it unless unmatched keys are
 * ignored (then it is a warning); a shape that does not fit its part is always an error.
 */
public final class LoraFile {
    private static final String KOHYA_DOWN = ".lora_down.weight";
    private static final String KOHYA_UP = ".lora_up.weight";
    private static final String KOHYA_ALPHA = ".alpha";
    private static final String PEFT_DOWN = ".lora_A.weight";
    private static final String PEFT_UP = ".lora_B.weight";

    private LoraFile() {
    }

    /** The layers of {@code file} that match {@code targets}, and warnings for the keys that match nothing. */
    public record Contents(List<LoraLayer> layers, List<String> warnings) {
        public Contents {
            layers = List.copyOf(layers);
            warnings = List.copyOf(warnings);
        }
    }

    /** The tensors of one adapted part, gathered from its keys. */
    private static final class Pieces {
        String downKey;
        String upKey;
        String alphaKey;
    }

    private record Target(LoraNetwork network, String part) {
    }

    /**
     * Reads and matches a file.
     *
     * @param ignoreUnmatched whether keys that match no part become warnings instead of an error
     * @throws LoraFormatException naming the file and key at fault
     */
    public static Contents read(Path file, LoraTargets targets, boolean ignoreUnmatched) {
        return read(file, targets, ignoreUnmatched, EnumSet.allOf(LoraNetwork.class));
    }

    /**
     * Reads and matches a file, keeping the layers of {@code networks} only: every key is still matched and
     * every shape checked, but the other layers' tensors are not read.
     *
     * @param ignoreUnmatched whether keys that match no part become warnings instead of an error
     * @throws LoraFormatException naming the file and key at fault
     */
    public static Contents read(Path file, LoraTargets targets, boolean ignoreUnmatched, Set<LoraNetwork> networks) {
        try (SafetensorsFile weights = SafetensorsFile.open(file)) {
            Map<Target, Pieces> pieces = new LinkedHashMap<>();
            List<String> unmatched = new ArrayList<>();
            for (String key : weights.names().stream().sorted().toList()) {
                Optional<Target> target = kohyaTarget(key, targets).or(() -> peftTarget(key, targets));
                if (target.isEmpty()) {
                    unmatched.add(key);
                    continue;
                }
                Pieces p = pieces.computeIfAbsent(target.get(), t -> new Pieces());
                if (key.endsWith(KOHYA_DOWN) || key.endsWith(PEFT_DOWN)) {
                    p.downKey = key;
                } else if (key.endsWith(KOHYA_UP) || key.endsWith(PEFT_UP)) {
                    p.upKey = key;
                } else {
                    p.alphaKey = key;
                }
            }
            if (!unmatched.isEmpty() && !ignoreUnmatched) {
                throw new LoraFormatException(file + ": " + unmatched.size() + " key(s) match no layer of the model, "
                        + "first '" + unmatched.get(0) + "' (a LoRA for another model family or an unsupported layout;"
                        + " ignoring unmatched keys turns this into warnings)");
            }
            List<String> warnings = unmatched.stream()
                    .map(k -> file.getFileName() + ": key '" + k + "' matches no layer of the model; skipped").toList();
            List<LoraLayer> layers = new ArrayList<>();
            for (Map.Entry<Target, Pieces> e : pieces.entrySet()) {
                LoraLayer layer = layer(file, weights, e.getKey(), e.getValue(), targets,
                        networks.contains(e.getKey().network()));
                if (layer != null) {
                    layers.add(layer);
                }
            }
            return new Contents(layers, warnings);
        }
    }

    /** {@code lora_unet_a_b_c.lora_down.weight}: the part whose underscored name is {@code a_b_c}. */
    private static Optional<Target> kohyaTarget(String key, LoraTargets targets) {
        String module = stripSuffix(key, KOHYA_DOWN, KOHYA_UP, KOHYA_ALPHA);
        if (module == null) {
            return Optional.empty();
        }
        for (LoraNetwork network : LoraNetwork.values()) {
            if (module.startsWith(network.kohyaPrefix())) {
                String path = module.substring(network.kohyaPrefix().length());
                return targets.partOfUnderscoredPath(network, path, key).map(part -> new Target(network, part));
            }
        }
        return Optional.empty();
    }

    /** {@code unet.a.b.c.lora_A.weight}: the part named {@code a.b.c}. */
    private static Optional<Target> peftTarget(String key, LoraTargets targets) {
        String module = stripSuffix(key, PEFT_DOWN, PEFT_UP);
        if (module == null) {
            return Optional.empty();
        }
        for (LoraNetwork network : LoraNetwork.values()) {
            if (module.startsWith(network.diffusersPrefix())) {
                String part = module.substring(network.diffusersPrefix().length());
                return targets.shape(network, part).map(s -> new Target(network, part));
            }
        }
        return Optional.empty();
    }

    private static String stripSuffix(String key, String... suffixes) {
        for (String suffix : suffixes) {
            if (key.endsWith(suffix)) {
                return key.substring(0, key.length() - suffix.length());
            }
        }
        return null;
    }

    /** Checks the pieces' shapes against the part's weight and reads them if {@code wanted} (else null). */
    private static LoraLayer layer(Path file, SafetensorsFile weights, Target target, Pieces p, LoraTargets targets,
            boolean wanted) {
        String where = file + ": " + target.network() + " part '" + target.part() + "'";
        if (p.downKey == null || p.upKey == null) {
            throw new LoraFormatException(where + " has " + (p.downKey == null ? "no down (lora_down / lora_A)"
                    : "no up (lora_up / lora_B)") + " weight, only '" + (p.downKey != null ? p.downKey
                    : p.upKey != null ? p.upKey : p.alphaKey) + "'");
        }
        long[] weight = targets.shape(target.network(), target.part()).orElseThrow();
        long out = weight[0];
        long in = weight[1];
        long partKernel = weight.length == 4 ? weight[2] : 1;
        long[] down = weights.info(p.downKey).shape();
        long[] up = weights.info(p.upKey).shape();
        long downKernel = down.length == 4 ? down[2] : 1;
        boolean downFits = (down.length == 2 || down.length == 4 && down[2] == down[3]) && down[1] == in
                && downKernel == partKernel;
        if (!downFits) {
            throw new LoraFormatException(file + ": '" + p.downKey + "' has shape " + Arrays.toString(down)
                    + ", which does not fit the weight " + Arrays.toString(weight) + " of " + target.part()
                    + " (expected [r, " + in + (partKernel > 1 ? ", " + partKernel + ", " + partKernel : "") + "])");
        }
        long rank = down[0];
        boolean upFits = (up.length == 2 || up.length == 4 && up[2] == 1 && up[3] == 1) && up[0] == out
                && up[1] == rank;
        if (!upFits) {
            throw new LoraFormatException(file + ": '" + p.upKey + "' has shape " + Arrays.toString(up)
                    + ", which does not fit the weight " + Arrays.toString(weight) + " of " + target.part()
                    + " and the down rank " + rank + " (expected [" + out + ", " + rank + "])");
        }
        double scale = 1;
        if (p.alphaKey != null) {
            TensorInfo alpha = weights.info(p.alphaKey);
            if (alpha.elementCount() != 1) {
                throw new LoraFormatException(file + ": '" + p.alphaKey + "' has shape "
                        + Arrays.toString(alpha.shape()) + ", expected a scalar");
            }
            scale = weights.floats(p.alphaKey)[0] / (double) rank;
        }
        if (!wanted) {
            return null;
        }
        return new LoraLayer(target.network(), target.part(), (int) rank, in, out, (int) downKernel, weights.floats(p.downKey),
                weights.floats(p.upKey), scale);
    }
}
