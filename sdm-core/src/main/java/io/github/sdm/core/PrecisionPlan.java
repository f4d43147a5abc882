package io.github.sdm.core;

import io.github.sdm.core.model.LoadOptions;
import io.github.sdm.core.model.Precision;

/**
 * Which type each network computes in, from the requested compute type and diffusers' fp32 islands, which
 * are model data: a UNet config's {@code upcast_attention} computes attention scores in fp32 (SD 2.x), and a
 * VAE config's {@code force_upcast} runs the whole VAE in fp32 when asked for fp16 (SD 1.x's VAE overflows in
 * fp16), as diffusers' pipelines do.
 *
 * @param weights the type weights are held in
 * @param textEncoder the text encoder's compute type
 * @param unet the UNet's compute type
 * @param unetAttention the UNet attention scores' compute type
 * @param vae the VAE's compute type
 */
public record PrecisionPlan(Precision weights, Precision textEncoder, Precision unet, Precision unetAttention,
        Precision vae) {

    /**
     * The plan for a model loaded with {@code options}: weights in the weight precision, every network in the
     * compute precision except the fp32 islands the model's configs ask for.
     *
     * @param options the load options (weight and compute precision)
     * @param upcastAttention the UNet config's {@code upcast_attention}
     * @param vaeForceUpcast the VAE config's {@code force_upcast} (diffusers upcasts only from fp16)
     * @return the plan
     */
    public static PrecisionPlan of(LoadOptions options, boolean upcastAttention, boolean vaeForceUpcast) {
        Precision compute = options.computePrecision();
        return new PrecisionPlan(options.weightPrecision(), compute, compute,
                upcastAttention ? Precision.FP32 : compute,
                vaeForceUpcast && compute == Precision.FP16 ? Precision.FP32 : compute);
    }

    /**
     * Whether every weight and every computation is fp32.
     *
     * @return true when nothing runs in reduced precision
     */
    public boolean isAllFp32() {
        return weights == Precision.FP32 && textEncoder == Precision.FP32 && unet == Precision.FP32
                && unetAttention == Precision.FP32 && vae == Precision.FP32;
    }
}
