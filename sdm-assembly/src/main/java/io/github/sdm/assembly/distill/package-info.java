/**
 * Knowledge distillation of an assembled student from its teacher, engine-free: the weights of the three loss
 * terms ({@link io.github.sdm.assembly.distill.DistillationWeights}), which student part's output is compared
 * with which teacher part's ({@link io.github.sdm.assembly.distill.FeaturePairs}) and the per-step log of the
 * terms ({@link io.github.sdm.assembly.distill.LossTermsLog}). The stage itself, on DJL, is
 * {@code io.github.sdm.assembly.djl.distill}. See {@code docs/model-assembly.md}.
 */
package io.github.sdm.assembly.distill;
