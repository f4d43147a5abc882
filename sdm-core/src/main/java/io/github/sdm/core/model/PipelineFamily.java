package io.github.sdm.core.model;

/**
 * A kind of diffusers pipeline sdm runs, recognised by {@code model_index.json}'s {@code _class_name}.
 *
 * @param className diffusers' pipeline class, e.g. {@code StableDiffusionPipeline}
 * @param networkFormat the file format of its networks' weights, which decides the backends that can load it
 */
public record PipelineFamily(String className, NetworkFormat networkFormat) {

    /** How a family's networks are stored. */
    public enum NetworkFormat {
        /** diffusers/transformers component folders of safetensors weights (or a single-file checkpoint). */
        SAFETENSORS,
        /** ONNX exports ({@code unet/model.onnx}, ...), as diffusers' Onnx pipelines save them. */
        ONNX
    }
}
