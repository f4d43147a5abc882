package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.testkit.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code optimum-fp16} is what {@link OnnxHalfPrecisionParityTest} says it is: every graph stores its weights in
 * float16, and holds as many weights as the fp32 export it was written from. Read from the files with
 * {@link ProtoFields}, so a fixture regenerated wrongly (fp32 left inside) fails here, not in a loose tolerance.
 */
class HalfPrecisionFixtureTest {
    private static final int GRAPH = 7;
    private static final int INITIALIZER = 5;
    private static final int DATA_TYPE = 2;
    private static final long FLOAT = 1;
    private static final long FLOAT16 = 10;

    @Test
    void everyWeightOfTheFp16ExportIsFloat16() throws IOException {
        for (String network : List.of("text_encoder", "unet", "vae_decoder", "vae_encoder")) {
            Map<Long, Integer> fp32 = weightTypes(TestData.fixture("tiny-sd-onnx/optimum/" + network + "/model.onnx"));
            Map<Long, Integer> fp16 = weightTypes(TestData.fixture("tiny-sd-onnx/optimum-fp16/" + network + "/model.onnx"));
            assertTrue(fp32.get(FLOAT) > 0, network + " of optimum/: " + fp32);
            assertEquals(Map.of(FLOAT16, fp32.get(FLOAT)), fp16, network + ": weight element types, by count");
        }
    }

    /** The number of initializers of each element type. */
    private static Map<Long, Integer> weightTypes(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        ProtoFields.Field graph = ProtoFields.read(bytes, 0, bytes.limit()).stream()
                .filter(f -> f.number() == GRAPH).findFirst().orElseThrow();
        Map<Long, Integer> counts = new TreeMap<>();
        for (ProtoFields.Field field : ProtoFields.read(bytes, graph)) {
            if (field.number() == INITIALIZER) {
                long type = ProtoFields.read(bytes, field).stream().filter(f -> f.number() == DATA_TYPE)
                        .mapToLong(ProtoFields.Field::value).findFirst().orElseThrow();
                counts.merge(type, 1, Integer::sum);
            }
        }
        return counts;
    }
}
