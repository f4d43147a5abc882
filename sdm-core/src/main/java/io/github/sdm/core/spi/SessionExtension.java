package io.github.sdm.core.spi;

/**
 * Something a generation asks of the denoiser beyond the plain UNet call, carried to the backend inside
 * {@link DenoiserSessionOptions}: feature inheritance, later multi-UNet switching or distillation feature
 * taps. sdm-core does not interpret extensions; the backend's modules that understand one act on it
 * (looked up by type with {@link DenoiserSessionOptions#extension(Class)}), and a backend refuses an
 * extension it cannot honour.
 */
public interface SessionExtension {

    /**
     * A short description for error messages and logs, e.g. the spec it was parsed from.
     *
     * @return the description
     */
    String describe();
}
