package io.github.sdm.assembly.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The architecture of a model to train, as the {@code config.json} texts (diffusers and transformers fields
 * only) its folder will hold. {@link #emojiSd()} is the proposed emoji model, documented in
 * {@code docs/training.md}.
 */
public record ModelConfigs(String unet, String vae, String textEncoder) {
    private static final String RESOURCES = "/io/github/sdm/assembly/emoji-sd/";

    public ModelConfigs {
        // parsed now, so a bad config fails before any training
        UNetConfig.parse(unet, "unet config.json");
        AutoencoderKLConfig.parse(vae, "vae config.json");
        CLIPTextConfig.parse(textEncoder, "text_encoder config.json");
    }

    /** The emoji model: 32x32 pixels, 8x8x4 latents, a 64-wide 4-layer text encoder. */
    public static ModelConfigs emojiSd() {
        return new ModelConfigs(resource("unet_config.json"), resource("vae_config.json"),
                resource("text_encoder_config.json"));
    }

    /** The scheduler config written with a trained model: SD 1.x's PNDM with the training schedule. */
    public static String schedulerConfig() {
        return resource("scheduler_config.json");
    }

    /** The README written into a trained model's folder: what it is, and the training data's attribution. */
    public static String modelReadme() {
        return resource("README.md");
    }

    /** The {@code model_index.json} of a Stable Diffusion pipeline folder. */
    public static String modelIndex() {
        return resource("model_index.json");
    }

    public UNetConfig unetConfig() {
        return UNetConfig.parse(unet, "unet config.json");
    }

    public AutoencoderKLConfig vaeConfig() {
        return AutoencoderKLConfig.parse(vae, "vae config.json");
    }

    public CLIPTextConfig textEncoderConfig() {
        return CLIPTextConfig.parse(textEncoder, "text_encoder config.json");
    }

    /** The image side the model is trained at: the UNet's {@code sample_size} times the VAE's downscale factor. */
    public int imageSize() {
        return unetConfig().sampleSize() * vaeConfig().downscaleFactor();
    }

    /** A VAE config text equal to this one except for {@code scaling_factor}. */
    public static String withScalingFactor(String vaeConfigJson, double scalingFactor) {
        JsonObject json = JsonParser.parseString(vaeConfigJson).getAsJsonObject();
        json.addProperty("scaling_factor", scalingFactor);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n";
    }

    private static String resource(String name) {
        try (InputStream in = ModelConfigs.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SdmException("Cannot read resource " + RESOURCES + name + ": " + e, e);
        }
    }
}
