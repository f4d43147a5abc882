package io.github.sdm.unet.onnx;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.model.ModelFolder;
import io.github.sdm.core.model.ModelLocation;
import io.github.sdm.core.model.PipelineFamilies;
import io.github.sdm.core.model.PipelineFamily;
import io.github.sdm.core.spi.LoadVerdict;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The networks of an ONNX export folder, as diffusers' {@code OnnxStableDiffusionPipeline} saves it (both its own
 * conversion script and optimum's exporter write this layout): {@code model_index.json} naming that class, and
 * {@code text_encoder/}, {@code unet/}, {@code vae_decoder/} and optionally {@code vae_encoder/}, each holding a
 * {@code model.onnx} (a UNet over 2 GB keeps its weights beside it, e.g. {@code weights.pb}, which ONNX Runtime
 * finds from the model file's folder). The text encoder and UNet may come from other folders
 * ({@link ModelLocation#withComponent}); the VAE is two graphs here, so it cannot.
 *
 * @param root the export folder
 * @param textEncoder {@code text_encoder/model.onnx}
 * @param unet {@code unet/model.onnx}
 * @param vaeEncoder {@code vae_encoder/model.onnx}, or null when the export has none (then img2img is refused)
 * @param vaeDecoder {@code vae_decoder/model.onnx}
 */
record OnnxExport(Path root, Path textEncoder, Path unet, Path vaeEncoder, Path vaeDecoder) {
    /** The graph file of each network folder. */
    static final String MODEL_FILE = "model.onnx";

    /**
     * Whether {@code location} is an ONNX export this backend reads (file names and {@code model_index.json} only).
     *
     * @param location the model
     * @return yes, or no with the reason
     */
    static LoadVerdict verdict(ModelLocation location) {
        String problem = problem(location);
        return problem == null ? LoadVerdict.yes() : LoadVerdict.no(problem);
    }

    /**
     * The export at {@code location}.
     *
     * @param location the model
     * @return its graph files
     * @throws ModelFormatException if it is not an ONNX export this backend reads (the message says why)
     */
    static OnnxExport of(ModelLocation location) {
        String problem = problem(location);
        if (problem != null) {
            throw new ModelFormatException("The onnx backend cannot load " + location.folder() + ": " + problem);
        }
        Path encoder = location.folder().resolve("vae_encoder").resolve(MODEL_FILE);
        return new OnnxExport(location.folder(), graph(location, "text_encoder"), graph(location, "unet"),
                Files.isRegularFile(encoder) ? encoder : null, location.folder().resolve("vae_decoder").resolve(MODEL_FILE));
    }

    /**
     * Whether {@code location} is meant as an ONNX export: a folder whose {@code model_index.json} names an ONNX
     * pipeline family (readable or not), as opposed to a diffusers folder or checkpoint of safetensors networks.
     *
     * @param location the model
     * @return true for an ONNX export, even a broken one (its problem is then an export's problem)
     */
    static boolean isExport(ModelLocation location) {
        if (location.isSingleFile()) {
            return false;
        }
        try {
            return PipelineFamilies.of(ModelFolder.open(location.folder())).networkFormat()
                    == PipelineFamily.NetworkFormat.ONNX;
        } catch (ModelFormatException e) {
            return false;
        }
    }

    /** Why the location is not an ONNX export this backend reads, or null when it is. */
    private static String problem(ModelLocation location) {
        if (location.isSingleFile()) {
            return "a single-file checkpoint holds PyTorch weights, not ONNX graphs";
        }
        if (location.isOverridden("vae")) {
            return "an ONNX export's VAE is two graphs (vae_encoder/, vae_decoder/) of the export folder; a 'vae' "
                    + "component folder is not read";
        }
        PipelineFamily family;
        try {
            family = PipelineFamilies.of(ModelFolder.open(location.folder()));
        } catch (ModelFormatException e) {
            return e.getMessage();
        }
        if (family.networkFormat() != PipelineFamily.NetworkFormat.ONNX) {
            return ModelFolder.MODEL_INDEX + " names " + family.className() + ", whose networks are safetensors, "
                    + "not ONNX graphs (an ONNX export names OnnxStableDiffusionPipeline)";
        }
        for (String name : new String[] {"text_encoder", "unet"}) {
            if (!Files.isRegularFile(graph(location, name))) {
                return (location.isOverridden(name) ? "the " + name + " folder " + location.componentFolder(name)
                        : name + "/") + " has no " + MODEL_FILE;
            }
        }
        if (!Files.isRegularFile(location.folder().resolve("vae_decoder").resolve(MODEL_FILE))) {
            return "vae_decoder/ has no " + MODEL_FILE;
        }
        return null;
    }

    private static Path graph(ModelLocation location, String name) {
        return location.componentFolder(name).resolve(MODEL_FILE);
    }
}
