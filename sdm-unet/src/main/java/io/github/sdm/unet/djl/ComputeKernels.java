package io.github.sdm.unet.djl;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.djl.nn.ForwardContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at load that the engine has a kernel, in a reduced compute type, for every operator the networks use, by
 * running each once on a tiny array. PyTorch builds differ in which operators they implement for float16 on the CPU
 * (2.7.1's CPU build has them all); a missing one then fails the load with a message naming the option and the
 * operator instead of failing deep inside the first generation.
 *
 * <p>Having a kernel is not running fast: PyTorch 2.7.1's CPU convolution in float16 is a reference kernel (one 3x3
 * convolution of SD 1.5's size, 320 channels at 32x32, took 13 s against 0.06 s in float32 on an AVX-512 CPU without
 * float16 arithmetic), so float16 compute on the CPU proves the precision logic rather than saving time, and a load
 * that asks for it there logs so.
 */
final class ComputeKernels {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeKernels.class);

    /** The operators the networks call, by the name a refusal gives. */
    static final Map<String, Function<NDArray, NDArray>> OPERATORS = operators();

    private ComputeKernels() {
    }

    /**
     * Runs every operator of {@code operators} in {@code precision}'s type on {@code manager}'s device.
     *
     * @param option how the caller names the setting (for example {@code "LoadOptions.computePrecision FP16"})
     * @throws SdmException naming the first operator the engine has no kernel for, and what to change
     */
    static void require(Precision precision, String option, NDManager manager,
            Map<String, Function<NDArray, NDArray>> operators) {
        DataType type = ForwardContext.dataType(precision);
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.arange(0f, 96f, 1f, DataType.FLOAT32).div(96f).reshape(1, 6, 4, 4).toType(type, false);
            for (Map.Entry<String, Function<NDArray, NDArray>> op : operators.entrySet()) {
                try {
                    op.getValue().apply(x);
                } catch (EngineException | UnsupportedOperationException | IllegalArgumentException e) {
                    throw new SdmException(option + ": the PyTorch engine on " + manager.getDevice() + " has no "
                            + precision + " kernel for " + op.getKey() + " (" + firstLine(e) + "); compute in FP32 "
                            + "(LoadOptions.withComputePrecision(Precision.FP32), --compute fp32) and keep the memory "
                            + "saving with weightPrecision FP16 or INT8 (--weights fp16|int8)", e);
                }
            }
        }
        if (precision == Precision.FP16 && manager.getDevice().equals(Device.cpu())) {
            LOG.warn("{}: PyTorch's CPU convolution in float16 is a reference kernel, about 200x slower than float32; "
                    + "float16 compute on the CPU is for checking results, while weightPrecision FP16 or INT8 with "
                    + "computePrecision FP32 (--weights fp16|int8 --compute fp32) saves the memory at float32 speed",
                    option);
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** On {@code x [1, 6, 4, 4]} of the type under test. */
    private static Map<String, Function<NDArray, NDArray>> operators() {
        Map<String, Function<NDArray, NDArray>> ops = new LinkedHashMap<>();
        Shape one = new Shape(1, 1);
        ops.put("conv2d", x -> {
            NDArray w = x.reshape(6, 1, 4, 4).repeat(1, 6).get("0:4");
            return x.getNDArrayInternal().convolution(x, w, w.get(":, 0, 0, 0"), one, one, one, 1).singletonOrThrow();
        });
        ops.put("linear", x -> {
            NDArray rows = x.reshape(6, 16);
            return rows.getNDArrayInternal().linear(rows, rows.get("0:3"), null).singletonOrThrow();
        });
        ops.put("matmul", x -> x.reshape(6, 4, 4).matMul(x.reshape(6, 4, 4)));
        ops.put("softmax", x -> x.softmax(-1));
        ops.put("layer_norm", x -> {
            NDArray rows = x.reshape(6, 16);
            NDArray ones = rows.get(0).onesLike();
            return JniUtils.layerNorm((PtNDArray) rows, new Shape(16), (PtNDArray) ones, (PtNDArray) ones.zerosLike(),
                    1e-5);
        });
        ops.put("gelu", x -> x.getNDArrayInternal().gelu());
        ops.put("sigmoid", x -> x.getNDArrayInternal().sigmoid());
        ops.put("tanh", NDArray::tanh);
        ops.put("exp", NDArray::exp);
        return ops;
    }
}
