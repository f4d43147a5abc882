package io.github.sdm.unet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.graph.BuiltGraph;
import io.github.sdm.unet.graph.ElementType;
import io.github.sdm.unet.graph.GraphWeight;
import io.github.sdm.unet.graph.ModelGraphs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Weights held in a reduced precision stay so inside ONNX Runtime: the UNet graph as ONNX Runtime optimized it at
 * session creation (written out by {@code optimized_model_filepath}) holds every linear and convolution weight in the
 * storage type, and no more float32 values than the weights that are float32 by design (biases, norms, int8 scales):
 * none was folded back into a float32 copy. Without disabling constant folding, float16 and bfloat16 weights are
 * folded (measured: all 812,672 layer values of tiny-sd's UNet came back as float32); int8 ones are not
 * ({@code DequantizeLinear} is never folded).
 */
class OnnxBuiltWeightStorageTest {
    private static final Map<Precision, ElementType> TYPES = Map.of(Precision.FP16, ElementType.FLOAT16,
            Precision.BF16, ElementType.BFLOAT16, Precision.INT8, ElementType.INT8);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(names = {"FP16", "BF16", "INT8"})
    void onnxRuntimeKeepsTheLayerWeightsInTheirStorageType(Precision storage) throws IOException {
        Path optimized = dir.resolve("unet-" + storage + ".onnx");
        try (ModelGraphs graphs = ModelGraphs.build(ModelLocation.folder(TestData.tinySd()), storage, List.of())) {
            BuiltGraph unet = graphs.unet();
            long layerValues = 0;
            long otherFloats = 0;
            long smallestLayer = Long.MAX_VALUE;
            for (GraphWeight w : unet.weights()) {
                long elements = w.info().elementCount();
                if (w.layer()) {
                    layerValues += elements;
                    smallestLayer = Math.min(smallestLayer, elements);
                    otherFloats += storage == Precision.INT8 ? w.dims()[0] : 0; // the per-channel scales
                } else {
                    otherFloats += elements;
                }
            }
            GraphSettings settings = GraphSettings.forBuiltGraphs(LoadOptions.defaults().withWeightPrecision(storage));
            try (OnnxGraph graph = settings.open(unet, dir.resolve("unet"), optimized)) {
                assertTrue(graph.isLoaded());
            }
            Map<Integer, Long> held = initializerElements(optimized);
            assertEquals(layerValues, held.getOrDefault(TYPES.get(storage).onnxCode(), 0L),
                    "every layer weight held as " + TYPES.get(storage) + ": " + held);
            // beyond those, only the graph's own small constants (norm scales, frequencies): fewer values than the
            // smallest layer weight, so a single weight folded to float32 fails this
            long floats = held.getOrDefault(ElementType.FLOAT.onnxCode(), 0L);
            assertTrue(floats < otherFloats + smallestLayer, "float32 initializers: " + floats + " values; the biases, "
                    + "norms" + (storage == Precision.INT8 ? " and scales" : "") + " have " + otherFloats
                    + ", the smallest layer weight " + smallestLayer + ": " + held);
        }
    }

    /** Element type code to the total elements of the initializers of that type in an ONNX model file. */
    private static Map<Integer, Long> initializerElements(Path model) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(model));
        Map<Integer, Long> out = new TreeMap<>();
        for (ProtoFields.Field graph : ProtoFields.read(bytes, 0, bytes.limit())) {
            if (graph.number() != 7) { // ModelProto.graph
                continue;
            }
            for (ProtoFields.Field initializer : ProtoFields.read(bytes, graph)) {
                if (initializer.number() != 5) { // GraphProto.initializer
                    continue;
                }
                long elements = 1;
                int type = 0;
                for (ProtoFields.Field t : ProtoFields.read(bytes, initializer)) {
                    if (t.number() == 1) { // TensorProto.dims
                        elements *= dims(bytes, t);
                    } else if (t.number() == 2) { // TensorProto.data_type
                        type = (int) t.value();
                    }
                }
                out.merge(type, elements, Long::sum);
            }
        }
        return out;
    }

    /** A dims field's product: one varint (as ONNX Runtime writes them), or packed varints. */
    private static long dims(ByteBuffer bytes, ProtoFields.Field t) {
        if (t.value() != 0) {
            return t.value();
        }
        long product = 1;
        long v = 0;
        int shift = 0;
        for (int i = t.start(); i < t.end(); i++) {
            int b = bytes.get(i) & 0xff;
            v |= (long) (b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                product *= v;
                v = 0;
                shift = 0;
            }
        }
        return product;
    }
}
