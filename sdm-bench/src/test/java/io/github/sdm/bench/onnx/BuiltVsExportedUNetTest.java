package io.github.sdm.bench.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.testkit.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code sdm bench tool built-vs-export} on the tiny model and optimum's export of its weights. */
class BuiltVsExportedUNetTest {
    @Test
    void theBuiltUNetGraphComputesWhatTheExportOfTheSameWeightsComputes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BuiltVsExportedUNet.run(new String[] {TestData.tinySd().toString(),
            Path.of("../sdm-unet/src/test/resources/fixtures/tiny-sd-onnx/optimum").toString(), "size=64", "runs=1"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        String last = out.lines().filter(l -> l.contains("largest difference")).findFirst().orElseThrow();
        double difference = Double.parseDouble(last.replaceAll(".*largest difference of the outputs (\\S+) .*", "$1"));
        // the same UNet, two graphs of it: the outputs agree to float rounding
        assertTrue(difference < 1e-4, last);
        assertTrue(out.contains("call 2: export"), out);
    }
}
