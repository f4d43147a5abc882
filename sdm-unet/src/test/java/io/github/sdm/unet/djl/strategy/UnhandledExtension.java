package io.github.sdm.unet.djl.strategy;

import io.github.sdm.core.spi.SessionExtension;

/** A session extension that no provider on sdm-unet's test classpath handles. */
public record UnhandledExtension(String describe) implements SessionExtension {
}
