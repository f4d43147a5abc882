package io.github.sdm.core.model;

import io.github.sdm.core.PrecisionPlan;
import io.github.sdm.core.error.InvalidRequestException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to load and run a model. A backend refuses, at load, a combination it cannot run (a precision, a
 * device) rather than running another one.
 *
 * @param device {@code "cpu"} or {@code "gpu"}/{@code "gpu:N"}
 * @param threads intra-op threads for the networks; 0 leaves the engine's default (all cores). PyTorch keeps one
 *     pool per process, so this applies to every model loaded in the JVM
 * @param weightPrecision the type the weights are held in memory as, whatever the files store (they are
 *     converted at load): {@link Precision#FP32}, {@link Precision#FP16}, {@link Precision#BF16}, or the
 *     weight-only {@link Precision#INT8}
 * @param computePrecision the type the networks compute in, except where the model keeps an fp32 island
 *     ({@code upcast_attention}, the VAE's {@code force_upcast}; see {@link PrecisionPlan}); never
 *     {@link Precision#INT8}
 * @param backend a backend name ({@code "djl"}), or null for the {@code sdm.backend} system property or else
 *     the highest-ranked backend that can load the model
 * @param attentionSliceSize attention rows computed at once (bounds the attention map's memory); 0 = all
 * @param vaeTiling whether the VAE runs large images in tiles ({@link VaeTiling#AUTO}: above four tiles' area)
 * @param loras LoRA adapters merged into the weights at load ({@code W' = W + m * scale * up @ down}), in order
 * @param residency whether the networks stay loaded ({@link Residency#RESIDENT}) or are loaded for their stage
 *     only ({@link Residency#PER_STAGE})
 * @param weightPaging whether each layer hands the pages of its memory-mapped weights back to the page cache after
 *     each call, so the process holds about one layer's weights at a time (see {@link #withWeightPaging})
 */
public record LoadOptions(String device, int threads, Precision weightPrecision, Precision computePrecision,
        String backend, int attentionSliceSize, VaeTiling vaeTiling, List<LoraAdapter> loras, Residency residency,
        boolean weightPaging) {

    /**
     * Checks the options.
     *
     * @param device {@code "cpu"}, {@code "gpu"} or {@code "gpu:N"}
     * @param threads intra-op threads, 0 for the engine's default
     * @param weightPrecision the type the weights are held in
     * @param computePrecision the type the networks compute in
     * @param backend a backend name, or null to choose one
     * @param attentionSliceSize attention rows computed at once, 0 for all
     * @param vaeTiling when the VAE tiles
     * @param loras adapters merged at load; null for none
     * @param residency when the networks hold their weights
     * @param weightPaging whether layers page their mapped weights out after each call
     * @throws InvalidRequestException if the device is not {@code "cpu"}, {@code "gpu"} or {@code "gpu:N"}, threads
     *     or the attention slice size is negative, a precision, the tiling or the residency is null, or the compute
     *     precision is {@link Precision#INT8}
     */
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
        if (!computePrecision.isComputeType()) {
            throw new InvalidRequestException("computePrecision " + computePrecision + " is a weight format only: "
                    + "compute in FP32, FP16 or BF16 (weightPrecision " + computePrecision + " keeps the weights in it)");
        }
        if (attentionSliceSize < 0) {
            throw new InvalidRequestException("attentionSliceSize must be >= 0, got " + attentionSliceSize);
        }
        if (vaeTiling == null) {
            throw new InvalidRequestException("vaeTiling must not be null");
        }
        if (residency == null) {
            throw new InvalidRequestException("residency must not be null");
        }
        loras = loras == null ? List.of() : List.copyOf(loras);
    }

    /**
     * The options without weight paging.
     *
     * @param device {@code "cpu"}, {@code "gpu"} or {@code "gpu:N"}
     * @param threads intra-op threads, 0 for the engine's default
     * @param weightPrecision the type the weights are held in
     * @param computePrecision the type the networks compute in
     * @param backend a backend name, or null to choose one
     * @param attentionSliceSize attention rows computed at once, 0 for all
     * @param vaeTiling when the VAE tiles
     * @param loras adapters merged at load; null for none
     * @param residency when the networks hold their weights
     */
    public LoadOptions(String device, int threads, Precision weightPrecision, Precision computePrecision,
            String backend, int attentionSliceSize, VaeTiling vaeTiling, List<LoraAdapter> loras, Residency residency) {
        this(device, threads, weightPrecision, computePrecision, backend, attentionSliceSize, vaeTiling, loras,
                residency, false);
    }

    /**
     * The options with every network resident ({@link Residency#RESIDENT}).
     *
     * @param device {@code "cpu"}, {@code "gpu"} or {@code "gpu:N"}
     * @param threads intra-op threads, 0 for the engine's default
     * @param weightPrecision the type the weights are held in
     * @param computePrecision the type the networks compute in
     * @param backend a backend name, or null to choose one
     * @param attentionSliceSize attention rows computed at once, 0 for all
     * @param vaeTiling when the VAE tiles
     * @param loras adapters merged at load; null for none
     */
    public LoadOptions(String device, int threads, Precision weightPrecision, Precision computePrecision,
            String backend, int attentionSliceSize, VaeTiling vaeTiling, List<LoraAdapter> loras) {
        this(device, threads, weightPrecision, computePrecision, backend, attentionSliceSize, vaeTiling, loras,
                Residency.RESIDENT, false);
    }

    /**
     * The options without a VAE tiling choice ({@link VaeTiling#AUTO}) and without LoRA adapters.
     *
     * @param device {@code "cpu"}, {@code "gpu"} or {@code "gpu:N"}
     * @param threads intra-op threads, 0 for the engine's default
     * @param weightPrecision the type the weights are held in
     * @param computePrecision the type the networks compute in
     * @param backend a backend name, or null to choose one
     * @param attentionSliceSize attention rows computed at once, 0 for all
     */
    public LoadOptions(String device, int threads, Precision weightPrecision, Precision computePrecision,
            String backend, int attentionSliceSize) {
        this(device, threads, weightPrecision, computePrecision, backend, attentionSliceSize, VaeTiling.AUTO, List.of(),
                Residency.RESIDENT, false);
    }

    /**
     * CPU, the engine's threads, FP32 weights and compute, the best backend, attention sliced by budget only, VAE
     * tiling above four tiles' area.
     *
     * @return the default options
     */
    public static LoadOptions defaults() {
        return new LoadOptions("cpu", 0, Precision.FP32, Precision.FP32, null, 0, VaeTiling.AUTO, List.of(),
                Residency.RESIDENT, false);
    }

    /**
     * These options on another device.
     *
     * @param newDevice {@code "cpu"}, {@code "gpu"} (the first GPU) or {@code "gpu:N"}
     * @return a copy with that device
     * @throws InvalidRequestException if the device is none of those
     */
    public LoadOptions withDevice(String newDevice) {
        return new LoadOptions(newDevice, threads, weightPrecision, computePrecision, backend, attentionSliceSize,
                vaeTiling, loras, residency, weightPaging);
    }

    /**
     * These options with another number of intra-op threads. PyTorch keeps one pool per process, so this
     * applies to every model loaded in the JVM.
     *
     * @param newThreads at least 1, or 0 for the engine's default (all cores)
     * @return a copy with that thread count
     * @throws InvalidRequestException if {@code newThreads} is negative
     */
    public LoadOptions withThreads(int newThreads) {
        return new LoadOptions(device, newThreads, weightPrecision, computePrecision, backend, attentionSliceSize,
                vaeTiling, loras, residency, weightPaging);
    }

    /**
     * The type weights are held in (storage), whatever the files store.
     *
     * @param weights the storage type
     * @return a copy with that weight precision
     * @throws InvalidRequestException if {@code weights} is null
     */
    public LoadOptions withWeightPrecision(Precision weights) {
        return new LoadOptions(device, threads, weights, computePrecision, backend, attentionSliceSize, vaeTiling,
                loras, residency, weightPaging);
    }

    /**
     * The type the networks compute in, except the model's fp32 islands (see {@link PrecisionPlan}).
     *
     * @param compute the compute type
     * @return a copy with that compute precision
     * @throws InvalidRequestException if {@code compute} is null or {@link Precision#INT8} (a weight format only)
     */
    public LoadOptions withComputePrecision(Precision compute) {
        return new LoadOptions(device, threads, weightPrecision, compute, backend, attentionSliceSize, vaeTiling,
                loras, residency, weightPaging);
    }

    /**
     * These options with a backend chosen by name.
     *
     * @param newBackend a backend name ({@code "djl"}), or null to leave the choice to {@code -Dsdm.backend} or else
     *     to the highest-ranked backend that can load the model (an unknown name fails at load)
     * @return a copy with that backend
     */
    public LoadOptions withBackend(String newBackend) {
        return new LoadOptions(device, threads, weightPrecision, computePrecision, newBackend, attentionSliceSize,
                vaeTiling, loras, residency, weightPaging);
    }

    /**
     * These options with attention computed in slices of {@code rows} query rows, bounding the attention
     * map's memory.
     *
     * @param rows rows computed at once, or 0 for all of them
     * @return a copy with that slice size
     * @throws InvalidRequestException if {@code rows} is negative
     */
    public LoadOptions withAttentionSliceSize(int rows) {
        return new LoadOptions(device, threads, weightPrecision, computePrecision, backend, rows, vaeTiling, loras,
                residency, weightPaging);
    }

    /**
     * These options with another VAE tiling choice.
     *
     * @param tiling {@link VaeTiling#AUTO}, {@link VaeTiling#ON} or {@link VaeTiling#OFF}
     * @return a copy with that tiling
     * @throws InvalidRequestException if {@code tiling} is null
     */
    public LoadOptions withVaeTiling(VaeTiling tiling) {
        return new LoadOptions(device, threads, weightPrecision, computePrecision, backend, attentionSliceSize,
                tiling, loras, residency, weightPaging);
    }

    /**
     * These options with one more LoRA adapter merged into the weights at load: generations then run at the
     * plain model's speed, and every generation on the model uses it. For an adapter on some generations
     * only, use {@code GenerationBuilder.lora} instead.
     *
     * @param file the adapter's {@code .safetensors} file (kohya/A1111 or diffusers/PEFT layout)
     * @param multiplier the strength (1 = as trained, 0 = no change)
     * @return a copy with the adapter added after the others
     * @throws InvalidRequestException if the file is null or the multiplier not finite
     */
    public LoadOptions withLora(Path file, double multiplier) {
        return withLora(new LoraAdapter(file, multiplier));
    }

    /**
     * These options with one more LoRA adapter merged into the weights at load (see {@link #withLora(Path, double)}).
     *
     * @param adapter the adapter, e.g. one {@linkplain LoraAdapter#ignoringUnmatchedKeys() ignoring unmatched keys}
     * @return a copy with the adapter added after the others
     * @throws InvalidRequestException if the adapter is null
     */
    public LoadOptions withLora(LoraAdapter adapter) {
        if (adapter == null) {
            throw new InvalidRequestException("LoRA adapter must not be null");
        }
        List<LoraAdapter> all = new ArrayList<>(loras);
        all.add(adapter);
        return new LoadOptions(device, threads, weightPrecision, computePrecision, backend, attentionSliceSize,
                vaeTiling, all, residency, weightPaging);
    }

    /**
     * These options with another residency policy: {@link Residency#PER_STAGE} loads each network for its stage
     * only, {@link Residency#RESIDENT} keeps them all loaded.
     *
     * @param newResidency the policy
     * @return a copy with that residency
     * @throws InvalidRequestException if {@code newResidency} is null
     */
    public LoadOptions withResidency(Residency newResidency) {
        return new LoadOptions(device, threads, weightPrecision, computePrecision, backend, attentionSliceSize,
                vaeTiling, loras, newResidency, weightPaging);
    }

    /**
     * These options with or without weight paging: after each call of a layer, the pages of its weights that are
     * views of the model files (weights held as the files store them: float32 from F32 files, float16 from F16
     * files, int8 from a component folder's int8 weight file, which {@code sdm quantize} writes) leave the
     * process's resident set ({@code madvise(MADV_DONTNEED)} on Linux; elsewhere nothing happens), and the next call
     * reads them again from the page cache, which keeps the files as long as memory allows. The process then holds
     * about one layer's weights at a time instead of the network's; the page cache, shared and reclaimable, holds the
     * rest. Results are unchanged; each call pays the minor page faults of reading its weights again. Weights
     * converted at load (int8 without such a file, or float16 from F32 files) stay resident. The DJL backend pages; a
     * backend that cannot refuses the option at load.
     *
     * @param paging whether to page the weights out after each use
     * @return a copy with that setting
     */
    public LoadOptions withWeightPaging(boolean paging) {
        return new LoadOptions(device, threads, weightPrecision, computePrecision, backend, attentionSliceSize,
                vaeTiling, loras, residency, paging);
    }
}
