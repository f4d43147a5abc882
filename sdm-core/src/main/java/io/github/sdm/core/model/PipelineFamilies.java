package io.github.sdm.core.model;

import io.github.sdm.core.error.ModelFormatException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline families sdm knows, by {@code _class_name}. A folder of any other family (SDXL, inpainting,
 * ...) is refused when it is opened, naming its class and the supported ones, instead of failing later
 * inside a config reader on a field it does not expect.
 */
public final class PipelineFamilies {
    private static final Map<String, PipelineFamily> KNOWN = new LinkedHashMap<>();

    static {
        // img2img folders hold the same components as txt2img ones; sdm runs both modes on either
        register(new PipelineFamily("StableDiffusionPipeline", PipelineFamily.NetworkFormat.SAFETENSORS));
        register(new PipelineFamily("StableDiffusionImg2ImgPipeline", PipelineFamily.NetworkFormat.SAFETENSORS));
        register(new PipelineFamily("OnnxStableDiffusionPipeline", PipelineFamily.NetworkFormat.ONNX));
    }

    private PipelineFamilies() {
    }

    private static void register(PipelineFamily family) {
        KNOWN.put(family.className(), family);
    }

    /**
     * The supported classes, in registration order.
     *
     * @return the {@code _class_name}s sdm runs
     */
    public static List<String> supported() {
        return List.copyOf(KNOWN.keySet());
    }

    /**
     * The family of {@code folder}, by its {@code model_index.json}'s {@code _class_name}.
     *
     * @param folder an opened model folder
     * @return the family, with the weight format of its networks
     * @throws ModelFormatException if the index names no class or one sdm does not support (the message names it
     *     and the supported ones)
     */
    public static PipelineFamily of(ModelFolder folder) {
        String className = folder.pipelineClass();
        if (className == null) {
            throw new ModelFormatException(folder.root().resolve(ModelFolder.MODEL_INDEX)
                    + " has no _class_name, so the pipeline family is unknown; supported: " + supported());
        }
        PipelineFamily family = KNOWN.get(className);
        if (family == null) {
            throw new ModelFormatException(folder.root().resolve(ModelFolder.MODEL_INDEX) + ": pipeline class '"
                    + className + "' is not supported; supported: " + supported());
        }
        return family;
    }
}
