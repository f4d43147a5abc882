/**
 * What a feature inheritance does in one generation, independent of the engine: the key steps of its schedule
 * ({@link io.github.sdm.inheritance.plan.CallPlan}) and the parts it reuses
 * ({@link io.github.sdm.inheritance.plan.ReusedParts}). The DJL execution ({@code inheritance.djl}) and the one on
 * built graphs ({@code inheritance.graph}) both follow them, so a schedule gives the same call plan on either backend.
 */
package io.github.sdm.inheritance.plan;
