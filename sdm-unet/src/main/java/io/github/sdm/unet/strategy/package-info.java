/**
 * How a UNet session computes its calls: {@link io.github.sdm.unet.strategy.DenoisingStrategy} (one per
 * generation, holding its caches), {@link io.github.sdm.unet.strategy.DenoisingStrategies#forSession} to pick
 * it from the session options, and the {@link io.github.sdm.unet.strategy.DenoisingStrategyProvider} SPI the
 * {@code sdm-inheritance} module implements for feature inheritance (DeepCache and finer reuse).
 */
package io.github.sdm.unet.strategy;
