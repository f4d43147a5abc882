/**
 * How a UNet session on built graphs computes its calls, the counterpart of {@code unet.djl.strategy} for the graphs
 * sdm builds ({@code unet.graph}) and runs on ONNX Runtime: a {@link io.github.sdm.unet.graph.strategy.GraphStrategy}
 * (one per generation, holding its caches) runs each call on a variant of the UNet graph
 * ({@link io.github.sdm.unet.graph.UNetCut}: some points fed, some exposed) through a
 * {@link io.github.sdm.unet.graph.strategy.UNetGraphCall}; the
 * {@link io.github.sdm.unet.graph.strategy.GraphStrategyProvider} SPI creates it from the session's extensions (the
 * {@code sdm-inheritance} module: feature inheritance). No engine types: the engine's package implements
 * {@link io.github.sdm.unet.graph.strategy.UNetGraphs} and {@link io.github.sdm.unet.graph.strategy.UNetGraphCall}.
 */
package io.github.sdm.unet.graph.strategy;
