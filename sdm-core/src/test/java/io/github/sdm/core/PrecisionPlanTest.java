package io.github.sdm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;
import org.junit.jupiter.api.Test;

/** diffusers' fp32 islands as data: {@code upcast_attention} and the VAE's {@code force_upcast}. */
class PrecisionPlanTest {
    private static final LoadOptions FP16 = LoadOptions.defaults().withWeightPrecision(Precision.FP16)
            .withComputePrecision(Precision.FP16);

    @Test
    void fp32EverywhereByDefaultWhateverTheFlags() {
        PrecisionPlan plan = PrecisionPlan.of(LoadOptions.defaults(), true, true);
        assertEquals(new PrecisionPlan(Precision.FP32, Precision.FP32, Precision.FP32, Precision.FP32, Precision.FP32),
                plan);
        assertTrue(plan.isAllFp32());
    }

    @Test
    void forceUpcastKeepsTheVaeInFp32WhenComputingInFp16() {
        PrecisionPlan plan = PrecisionPlan.of(FP16, false, true);
        assertEquals(Precision.FP32, plan.vae());
        assertEquals(Precision.FP16, plan.unet());
        assertEquals(Precision.FP16, plan.textEncoder());
        assertEquals(Precision.FP16, plan.unetAttention());
        assertEquals(Precision.FP16, plan.weights());
        assertFalse(plan.isAllFp32());
    }

    @Test
    void withoutForceUpcastTheVaeComputesInFp16() {
        assertEquals(Precision.FP16, PrecisionPlan.of(FP16, false, false).vae());
    }

    /** diffusers upcasts the VAE from float16 only; bfloat16 has float32's range. */
    @Test
    void forceUpcastLeavesBf16Alone() {
        assertEquals(Precision.BF16, PrecisionPlan.of(FP16.withComputePrecision(Precision.BF16), false, true).vae());
    }

    @Test
    void upcastAttentionComputesTheUNetsAttentionInFp32() {
        PrecisionPlan plan = PrecisionPlan.of(FP16, true, false);
        assertEquals(Precision.FP32, plan.unetAttention());
        assertEquals(Precision.FP16, plan.unet());
    }

    @Test
    void fp16WeightsWithFp32ComputeIsNotAllFp32() {
        assertFalse(PrecisionPlan.of(LoadOptions.defaults().withWeightPrecision(Precision.FP16), false, false)
                .isAllFp32());
    }

    @Test
    void int8IsAWeightFormatOnly() {
        PrecisionPlan plan = PrecisionPlan.of(LoadOptions.defaults().withWeightPrecision(Precision.INT8), false, false);
        assertEquals(Precision.INT8, plan.weights());
        assertEquals(Precision.FP32, plan.unet());
        assertFalse(plan.isAllFp32());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> LoadOptions.defaults().withComputePrecision(Precision.INT8));
        assertTrue(e.getMessage().contains("computePrecision INT8 is a weight format only"), e.getMessage());
    }
}
