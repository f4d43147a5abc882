package io.github.sdm.core.model;

import io.github.sdm.core.PrecisionPlan;
import io.github.sdm.core.error.InvalidRequestException;

/**
 * How to load and run a model. A backend refuses, at load, a combination it cannot run (a precision, a
 * device) rather than running another one.
 *
 * @param device {@code "cpu"} or {@code "gpu"}/{@code "gpu:N"}
 * @param threads intra-op threads for the networks; 0 leaves the engine's default (all cores). PyTorch keeps one
 *     pool per process, so this applies to every model loaded in the JVM
 * @param weightPrecision the type the weights are held in memory as, whatever the files store (they are
 *     converted at load)
 * @param computePrecision the type the networks compute in, except where the model keeps an fp32 island
 *     ({@code upcast_attention}, the VAE's {@code force_upcast}; see {@link PrecisionPlan})
 * @param backend a backend name ({@code "djl"}), or null for the {@code sdm.backend} system property or else
 *     the highest-ranked backend that can load the model
 * @param attentionSliceSize attention rows computed at once (bounds the attention map's memory); 0 = all
 */
public record LoadOptions(String device, int threads, Precision weightPrecision, Precision computePrecision,
        String backend, int attentionSliceSize) {

    public LoadOptions {
        if (device == null || !(device.equals("cpu") || device.matches("gpu(:\\d+)?"))) {
            throw new InvalidRequestException("device must be 'cpu', 'gpu' or 'gpu:N', got '" + device + "'");
        }
        if (threads < 0) {
            throw new InvalidRequestException("threads must be >= 0 (0 = engine default), got " + threads);
        }
        if (weightPrecision == null) {
            throw new InvalidRequestException("weightPrecision must not be null");
        }
        if (computePrecision == null) {
            throw new InvalidRequestException("computePrecision must not be null");
        }
        if (attentionSliceSize < 0) {
            throw new InvalidRequestException("attentionSliceSize must be >= 0, got " + attentionSliceSize);
        }
    }

    /** CPU, the engine's threads, FP32 weights and compute, the best backend, attention sliced by budget only. */
    public static LoadOptions defaults() {
        return new LoadOptions("cpu", 0, Precision.FP32, Precision.FP32, null, 0);
    }

    public LoadOptions withDevice(String newDevice) {
        return new LoadOptions(newDevice, threads, weightPrecision, computePrecision, backend, attentionSliceSize);
    }

    public LoadOptions withThreads(int newThreads) {
        return new LoadOptions(device, newThreads, weightPrecision, computePrecision, backend, attentionSliceSize);
    }

    /** The type weights are held in (storage). */
    public LoadOptions withWeightPrecision(Precision weights) {
        return new LoadOptions(device, threads, weights, computePrecision, backend, attentionSliceSize);
    }

    /** The type the networks compute in. */
    public LoadOptions withComputePrecision(Precision compute) {
        return new LoadOptions(device, threads, weightPrecision, compute, backend, attentionSliceSize);
    }

    public LoadOptions withBackend(String newBackend) {
        return new LoadOptions(device, threads, weightPrecision, computePrecision, newBackend, attentionSliceSize);
    }

    public LoadOptions withAttentionSliceSize(int rows) {
        return new LoadOptions(device, threads, weightPrecision, computePrecision, backend, rows);
    }
}
