/**
 * How a UNet session computes its calls: {@link io.github.sdm.unet.djl.strategy.DenoisingStrategy} (one per
 * generation, holding its caches), {@link io.github.sdm.unet.djl.strategy.DenoisingStrategies#forSession} to pick
 * it from the session options, and the {@link io.github.sdm.unet.djl.strategy.DenoisingStrategyProvider} SPI: a
 * provider claims the {@link io.github.sdm.core.spi.SessionExtension}s it handles (the {@code sdm-inheritance}
 * module: feature inheritance) and creates the strategy; an extension no provider claims is an error naming it.
 */
package io.github.sdm.unet.djl.strategy;
