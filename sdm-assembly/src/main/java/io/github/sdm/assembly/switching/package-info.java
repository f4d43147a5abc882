/**
 * Multi-UNet switching, engine-free: which UNet computes each call of a generation
 * ({@link io.github.sdm.assembly.switching.SwitchSchedule}), the {@link io.github.sdm.assembly.switching.UNetSwitch}
 * session extension naming the second UNet, and the compatibility check of two UNets
 * ({@link io.github.sdm.assembly.switching.UNetCompatibility}). {@code io.github.sdm.assembly.djl.switching}
 * loads the second UNet and executes the switch; the sampler run is untouched, so its history carries across.
 */
package io.github.sdm.assembly.switching;
