package io.github.sdm.unet.djl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.Precision;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The load-time check that the engine computes every operator the networks use in a half-precision type. */
class ComputeKernelsTest {

    /** PyTorch 2.7.1's CPU build has float16 kernels for all of them. */
    @Test
    void theCpuEngineHasEveryFloat16Kernel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ComputeKernels.require(Precision.FP16, "LoadOptions.computePrecision FP16", manager,
                    ComputeKernels.OPERATORS);
        }
    }

    /** An engine without a kernel (simulated: the operator throws as the engine does) fails the load with the fix. */
    @Test
    void aMissingKernelIsRefusedNamingTheOptionTheOperatorAndTheFix() {
        Map<String, Function<NDArray, NDArray>> operators = new LinkedHashMap<>(ComputeKernels.OPERATORS);
        operators.put("group_norm", x -> {
            throw new EngineException("\"native_group_norm\" not implemented for 'Half'\nnative frames...");
        });
        try (NDManager manager = NDManager.newBaseManager()) {
            SdmException e = assertThrows(SdmException.class, () -> ComputeKernels.require(Precision.FP16,
                    "LoadOptions.computePrecision FP16", manager, operators));
            String message = e.getMessage();
            assertTrue(message.startsWith("LoadOptions.computePrecision FP16: ") && message.contains("group_norm")
                    && message.contains("not implemented for 'Half'") && !message.contains("native frames")
                    && message.contains("compute in FP32") && message.contains("--weights fp16|int8"), message);
        }
    }
}
