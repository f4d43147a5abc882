/**
 * The contract between the pipeline (sdm-core) and whatever executes the networks. Tensors cross it as
 * {@link io.github.sdm.core.tensor.FloatTensor}: latents and embeddings are tiny next to the work of one
 * network call, and the boundary keeps the pipeline free of native code.
 */
package io.github.sdm.core.spi;
