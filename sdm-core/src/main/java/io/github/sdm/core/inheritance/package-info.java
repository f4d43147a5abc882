/**
 * Feature inheritance settings, pure data: {@link io.github.sdm.core.inheritance.FeatureInheritance} (level,
 * target, schedule, the spec grammar and its parser), {@link io.github.sdm.core.inheritance.KeyStepSchedule}
 * (which UNet calls compute in full) and the named {@link io.github.sdm.core.inheritance.InheritancePreset}s.
 * They reach the network backend through
 * {@link io.github.sdm.core.spi.DenoiserSessionOptions#extension(Class)}; the {@code sdm-inheritance} module
 * executes them. See {@code docs/feature-inheritance.md}.
 */
package io.github.sdm.core.inheritance;
