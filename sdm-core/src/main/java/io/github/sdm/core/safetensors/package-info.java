/**
 * The safetensors format: {@link io.github.sdm.core.safetensors.SafetensorsFile} maps a file and reads its
 * tensors lazily, {@link io.github.sdm.core.safetensors.SafetensorsWeights} joins the shards of a
 * {@code *.safetensors.index.json}, {@link io.github.sdm.core.safetensors.SafetensorsWriter} streams a file out.
 *
 * <h2>Which files are read</h2>
 * Symbolic links are followed: a Hugging Face cache ({@code ~/.cache/huggingface/hub/models--.../snapshots/<rev>/})
 * holds every file of a model as a link to a blob named by its hash, and such a folder loads as it is. What the
 * link (or the path itself) leads to must be a regular file: a directory, named pipe, device or socket is refused
 * with an error naming the path before anything is opened, as a pipe would block the load forever. A file whose
 * first 8 bytes do not give a plausible header length is reported as not a safetensors file, with a hint when it
 * is recognisably something else (a Git LFS pointer, a ZIP-based PyTorch checkpoint).
 */
package io.github.sdm.core.safetensors;
