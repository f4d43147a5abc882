package io.github.sdm.core;

/**
 * How to load and run a model.
 *
 * @param device {@code "cpu"} or {@code "gpu"}/{@code "gpu:N"}
 * @param threads intra-op threads for the networks; 0 leaves the engine's default (all cores). PyTorch keeps one
 *     pool per process, so this applies to every model loaded in the JVM
 * @param precision compute precision (FP16/BF16 need a GPU)
 * @param backend a backend name ({@code "djl"}), or null to take the first that can load the model
 * @param attentionSliceSize attention rows computed at once (bounds the attention map's memory); 0 = all
 */
public record LoadOptions(String device, int threads, Precision precision, String backend, int attentionSliceSize) {

    public LoadOptions {
        if (device == null || !(device.equals("cpu") || device.matches("gpu(:\\d+)?"))) {
            throw new InvalidRequestException("device must be 'cpu', 'gpu' or 'gpu:N', got '" + device + "'");
        }
        if (threads < 0) {
            throw new InvalidRequestException("threads must be >= 0 (0 = engine default), got " + threads);
        }
        if (precision == null) {
            throw new InvalidRequestException("precision must not be null");
        }
        if (attentionSliceSize < 0) {
            throw new InvalidRequestException("attentionSliceSize must be >= 0, got " + attentionSliceSize);
        }
    }

    public static LoadOptions defaults() {
        return new LoadOptions("cpu", 0, Precision.FP32, null, 0);
    }

    public LoadOptions withDevice(String newDevice) {
        return new LoadOptions(newDevice, threads, precision, backend, attentionSliceSize);
    }

    public LoadOptions withThreads(int newThreads) {
        return new LoadOptions(device, newThreads, precision, backend, attentionSliceSize);
    }

    public LoadOptions withPrecision(Precision newPrecision) {
        return new LoadOptions(device, threads, newPrecision, backend, attentionSliceSize);
    }

    public LoadOptions withBackend(String newBackend) {
        return new LoadOptions(device, threads, precision, newBackend, attentionSliceSize);
    }

    public LoadOptions withAttentionSliceSize(int rows) {
        return new LoadOptions(device, threads, precision, backend, rows);
    }
}
