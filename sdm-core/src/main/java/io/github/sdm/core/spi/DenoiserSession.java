package io.github.sdm.core.spi;

import io.github.sdm.core.tensor.FloatTensor;

/** One generation's use of the UNet. Not shared between threads. */
public interface DenoiserSession extends AutoCloseable {

    /**
     * One UNet call.
     *
     * @param sample the scaled model input, {@code [batch, channels, height, width]}
     * @param timestep the sampler's timestep (may be fractional)
     * @param callIndex the index of this call in the generation, 0-based
     * @param conditioning the text conditioning, batched like {@code sample}; usually the same instance for
     *     every call of a generation, so a backend may convert it once
     * @return the model output, shaped like {@code sample}
     */
    FloatTensor predict(FloatTensor sample, double timestep, int callIndex, TextConditioning conditioning);

    /**
     * Frees the session's caches and scratch memory; the session must not be used afterwards.
     */
    @Override
    void close();
}
