package io.github.sdm.bench.cli;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoraAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code --lora FILE[:MULT]}: an adapter file and its multiplier (1 when left out). */
final class LoraOption {
    /** A multiplier after the last colon; anything else there belongs to the file name (C:\ on Windows). */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private LoraOption() {
    }

    /**
     * Parses one value and checks that the file exists.
     *
     * @throws InvalidRequestException naming the value when the file is missing
     */
    static LoraAdapter parse(String value, boolean ignoreUnmatchedKeys) {
        int colon = value.lastIndexOf(':');
        String file = value;
        double multiplier = 1;
        if (colon > 0 && NUMBER.matcher(value.substring(colon + 1)).matches()) {
            file = value.substring(0, colon);
            multiplier = Double.parseDouble(value.substring(colon + 1));
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new InvalidRequestException("--lora " + value + ": no such file " + path.toAbsolutePath());
        }
        LoraAdapter adapter = new LoraAdapter(path, multiplier);
        return ignoreUnmatchedKeys ? adapter.ignoringUnmatchedKeys() : adapter;
    }

    /** How the adapters appear in the PNG {@code parameters} text: {@code Lora: "a.safetensors:0.8, b:1.0"}. */
    static String settings(List<LoraAdapter> adapters) {
        return adapters.isEmpty() ? "" : ", Lora: \"" + adapters.stream().map(LoraAdapter::describe)
                .collect(Collectors.joining(", ")) + "\"";
    }
}
