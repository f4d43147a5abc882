package io.github.sdm.unet.ldm;

import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.weights.WeightSource;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A single-file Stable Diffusion checkpoint in the original LDM / CompVis layout (as CivitAI and the
 * original repositories distribute them): the UNet under {@code model.diffusion_model.}, the VAE under
 * {@code first_stage_model.}, the CLIP text encoder under {@code cond_stage_model.transformer.} (SD 1.x) or
 * {@code cond_stage_model.model.} (SD 2.x, OpenCLIP). A single file carries no configs: each network's
 * view is renamed to diffusers' keys using the configs of a diffusers model folder of the same family, as
 * diffusers 0.27.2's {@code convert_from_ckpt.py} does.
 *
 * <p>The views read from the mapped file; keep the checkpoint open until the networks are loaded.
 * Keys of a network's section that have no diffusers equivalent keep their full LDM name, so the weight
 * loader lists them as unexpected; keys diffusers' conversion ignores (EMA copies, the VAE's training loss,
 * the text encoder's {@code position_ids} buffer) are hidden.
 */
public final class LdmCheckpoint implements AutoCloseable {
    public static final String UNET_PREFIX = "model.diffusion_model.";
    public static final String VAE_PREFIX = "first_stage_model.";
    public static final String TEXT_ENCODER_PREFIX = "cond_stage_model.transformer.";
    /** Stable Diffusion 2.x's OpenCLIP text encoder. */
    public static final String OPEN_CLIP_PREFIX = "cond_stage_model.model.";
    /** A buffer of HF's CLIP text embeddings ({@code arange(77)}) that older checkpoints store. */
    private static final String POSITION_IDS = "text_model.embeddings.position_ids";

    private final SafetensorsFile file;
    private final WeightSource weights;

    private LdmCheckpoint(SafetensorsFile file) {
        this.file = file;
        this.weights = WeightSource.of(file);
    }

    /** Opens a {@code .safetensors} single-file checkpoint (pickled {@code .ckpt} files are not read). */
    public static LdmCheckpoint open(Path file) {
        return new LdmCheckpoint(SafetensorsFile.open(file));
    }

    public Path path() {
        return file.path();
    }

    /** The UNet's weights under diffusers' names, for the UNet of {@code layout}'s config. */
    public WeightSource unet(LdmUNetLayout layout) {
        UNetKeyMapping mapping = new UNetKeyMapping(layout);
        WeightSource renamed = section(UNET_PREFIX, "UNet", k -> false, mapping::toDiffusers);
        return new ConvToLinearWeightSource(renamed, UNetKeyMapping::isAttentionProjection);
    }

    /** The VAE's weights under diffusers' {@code AutoencoderKL} names, for the VAE of {@code config}. */
    public WeightSource vae(AutoencoderKLConfig config) {
        VaeKeyMapping mapping = new VaeKeyMapping(config.blockCount());
        WeightSource renamed = section(VAE_PREFIX, "VAE", k -> !VaeKeyMapping.isModelKey(k), mapping::toDiffusers);
        return new ConvToLinearWeightSource(renamed, VaeKeyMapping::isAttentionProjection);
    }

    /**
     * The text encoder's weights under Hugging Face {@code CLIPTextModel} names, for the text encoder of
     * {@code config}. Stable Diffusion 1.x stores the transformers model itself
     * ({@code cond_stage_model.transformer.}), so its keys are the same below the prefix; 2.x stores an
     * OpenCLIP model ({@code cond_stage_model.model.}), converted by {@link OpenClipTextWeights}.
     */
    public WeightSource textEncoder(CLIPTextConfig config) {
        if (hasSection(TEXT_ENCODER_PREFIX)) {
            return section(TEXT_ENCODER_PREFIX, "text encoder", POSITION_IDS::equals, Function.identity());
        }
        if (hasSection(OPEN_CLIP_PREFIX)) {
            return new OpenClipTextWeights(weights.under(OPEN_CLIP_PREFIX), config.numHiddenLayers());
        }
        throw new ModelFormatException(file.path() + ": no text encoder weights in this checkpoint (no keys under '"
                + TEXT_ENCODER_PREFIX + "' (SD 1.x) or '" + OPEN_CLIP_PREFIX + "' (SD 2.x))");
    }

    private boolean hasSection(String prefix) {
        return file.names().stream().anyMatch(k -> k.startsWith(prefix));
    }

    /**
     * The keys under {@code prefix}, without it, renamed by {@code rename}; keys it maps to null keep their
     * full LDM name (so the loader reports them), {@code ignored} keys are hidden.
     */
    private WeightSource section(String prefix, String network, Predicate<String> ignored,
            Function<String, String> rename) {
        if (!hasSection(prefix)) {
            throw new ModelFormatException(file.path() + ": no " + network + " weights in this checkpoint (no keys "
                    + "under '" + prefix + "'); is it a Stable Diffusion 1.x/2.x single-file checkpoint?");
        }
        return weights.renamed("LDM " + network + " keys as diffusers'", k -> {
            if (!k.startsWith(prefix)) {
                return null;
            }
            String local = k.substring(prefix.length());
            if (ignored.test(local)) {
                return null;
            }
            String mapped = rename.apply(local);
            return mapped != null ? mapped : k;
        });
    }

    @Override
    public void close() {
        file.close();
    }
}
