/**
 * Feature inheritance: the {@link io.github.sdm.unet.strategy.DenoisingStrategyProvider} that executes
 * {@link io.github.sdm.core.inheritance.FeatureInheritance} settings. Block level (DeepCache) runs the UNet's
 * shallow branch on the deep feature of the last key step; layer and unit levels intercept the chosen parts,
 * keeping their outputs at key steps and returning them in between. Caches live in a sub-manager of the
 * session's manager, are replaced (and freed) at each caching key step, dropped as soon as no later call
 * needs them, and freed on close. See {@code docs/feature-inheritance.md}.
 */
package io.github.sdm.inheritance;
