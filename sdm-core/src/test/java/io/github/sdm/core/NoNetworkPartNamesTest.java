package io.github.sdm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * sdm-core knows no network's inside: no UNet part name appears in its main sources, so a backend whose
 * networks have other parts (an ONNX graph, a distilled student) serves the same pipeline.
 */
class NoNetworkPartNamesTest {
    private static final Pattern PART_NAME = Pattern.compile(
            "down_blocks|up_blocks|mid_block|transformer_blocks|resnets|attn1|attn2|attentions\\.|conv_in|conv_out"
                    + "|time_embedding|downsamplers|upsamplers");

    @Test
    void mainSourcesNameNoUNetPart() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the sdm-core module folder");
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = PART_NAME.matcher(lines.get(i));
                    if (m.find()) {
                        found.add(sources.relativize(file) + ":" + (i + 1) + " names '" + m.group() + "'");
                    }
                }
            }
        }
        assertTrue(files > 50, "expected sdm-core's sources, found " + files + " files");
        assertEquals(List.of(), found);
    }
}
