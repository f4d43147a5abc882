/**
 * Feature inheritance, all of it: the settings ({@link io.github.sdm.inheritance.FeatureInheritance}, a
 * {@link io.github.sdm.core.spi.SessionExtension}; {@link io.github.sdm.inheritance.KeyStepSchedule},
 * {@link io.github.sdm.inheritance.InheritancePreset}, {@link io.github.sdm.inheritance.PartSelector},
 * {@link io.github.sdm.inheritance.UnitKind} with the diffusers part names it matches) and the
 * {@link io.github.sdm.unet.djl.strategy.DenoisingStrategyProvider} that executes them. Block level (DeepCache) runs the UNet's
 * shallow branch on the deep feature of the last key step; layer and unit levels intercept the chosen parts,
 * keeping their outputs at key steps and returning them in between. Caches live in a sub-manager of the
 * session's manager, are replaced (and freed) at each caching key step, dropped as soon as no later call
 * needs them, and freed on close. See {@code docs/feature-inheritance.md}.
 */
package io.github.sdm.inheritance;
