package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.sdm.core.model.Precision;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.testkit.Close;
import io.github.sdm.core.testkit.Tolerance;
import io.github.sdm.unet.djl.nn.ForwardContext;
import io.github.sdm.unet.djl.nn.Parameter;
import io.github.sdm.unet.djl.nn.PartInterceptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code fixtures/unet-*} UNet with its weights held in half precision or int8, or computing in float16, against
 * diffusers' float32 output, within bounds that follow from the rounding each variant adds (the float32 run is held to
 * {@code 1e-4 * max(1, peak)}; measured maxima in the comments, as a fraction of {@code max(1, peak)}):
 *
 * <ul>
 *   <li>float16 weights, float32 compute: every weight rounded once to 11 significant bits (relative 4.9e-4 at
 *       most), which the layers compound; within {@code 3e-3} (measured 1.1e-3 to 1.3e-3);</li>
 *   <li>int8 weights (per output channel), float32 compute: each weight off by up to half its channel's step,
 *       {@code max|w| / 254}; within {@code 5e-2} (measured 2.2e-2 to 3.3e-2);</li>
 *   <li>float16 weights and compute (the UNet's {@code upcast_attention} in float32): every activation rounded to
 *       float16 too; within {@code 5e-3} (measured 1.7e-3 to 2.8e-3).</li>
 * </ul>
 *
 * <p>Each variant must also differ from the float32 result (it really ran in its precision), and the weights it holds
 * must take the bytes the type says: half of float32 for float16, a quarter for the int8 weights plus their scales.
 */
class UNetPrecisionParityTest {
    private record Variant(String name, Precision storage, Precision compute, Tolerance tolerance) {
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant("fp16 weights", Precision.FP16, Precision.FP32, Tolerance.ofPeakAtLeastOne(3e-3)),
            new Variant("int8 weights", Precision.INT8, Precision.FP32, Tolerance.ofPeakAtLeastOne(5e-2)),
            new Variant("fp16 compute", Precision.FP16, Precision.FP16, Tolerance.ofPeakAtLeastOne(5e-3)));

    @TestFactory
    List<DynamicTest> everyFixtureInEveryVariant() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path folder : UNetFixtures.unetFolders()) {
            for (Variant variant : VARIANTS) {
                tests.add(DynamicTest.dynamicTest(folder.getFileName() + " " + variant.name(),
                        () -> check(folder, variant)));
            }
        }
        assertTrue(tests.size() >= 9, "expected the unet-sd15, unet-sd2 and unet-small fixtures");
        return tests;
    }

    private static void check(Path folder, Variant variant) {
        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel unet = UNet2DConditionModel.load(folder, manager, variant.storage());
                SafetensorsFile ref = SafetensorsFile.open(folder.resolve("reference.safetensors"))) {
            assertResidentBytes(unet, variant.storage());
            Set<DataType> types = ConcurrentHashMap.newKeySet();
            PartInterceptor observer = (name, inputs, compute) -> {
                NDList out = compute.apply(inputs);
                types.add(out.head().getDataType());
                return out;
            };
            ForwardContext ctx = ForwardContext.of(observer).withComputePrecision(variant.compute())
                    .withAttentionPrecision(unet.config().upcastAttention() ? Precision.FP32 : variant.compute());
            NDArray out = unet.forward(UNetFixtures.tensor(ref, "sample", manager),
                    UNetFixtures.tensor(ref, "timestep", manager),
                    UNetFixtures.tensor(ref, "encoder_hidden_states", manager), ctx);
            assertEquals(DataType.FLOAT32, out.getDataType(), "the prediction leaves the UNet in float32");
            assertTrue(types.contains(ForwardContext.dataType(variant.compute())),
                    "the parts computed in " + variant.compute() + ", saw " + types);
            float[] expected = ref.floats("out_sample");
            float[] actual = out.toFloatArray();
            System.out.printf("%s %s: max |difference| %.3g of max(1, peak) %.3g%n", folder.getFileName(),
                    variant.name(), maxDifference(expected, actual), Tolerance.ofPeakAtLeastOne(1).bound(expected));
            Close.assertClose(variant.name() + " out_sample", ref.info("out_sample").shape(), expected,
                    out.getShape().getShape(), actual, variant.tolerance());
            assertTrue(maxDifference(expected, actual) > Tolerance.ofPeakAtLeastOne(1e-6).bound(expected),
                    variant.name() + " gave float32's result: it did not run in its precision");
        }
    }

    /** float16: 2 bytes a value; int8: 1 byte a value of every convolution and linear weight plus a 4-byte scale a row. */
    private static void assertResidentBytes(UNet2DConditionModel unet, Precision storage) {
        long expected = 0;
        long held = 0;
        for (Parameter p : unet.allParameters().values()) {
            long count = p.value().getShape().size();
            long rows = p.shape()[0];
            expected += switch (storage) {
                case FP16 -> 2 * count;
                case INT8 -> p.isPerChannelWeight() ? count + 4 * rows : 4 * count;
                default -> 4 * count;
            };
            held += p.value().getShape().size() * p.value().getDataType().getNumOfBytes()
                    + (p.scales() == null ? 0 : p.scales().getShape().size() * 4);
        }
        assertEquals(expected, held, storage + " weights' resident bytes");
    }

    private static double maxDifference(float[] expected, float[] actual) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
        }
        return worst;
    }
}
