package io.github.sdm.unet.graph;

import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.weights.WeightSource;
import java.util.List;

/**
 * diffusers' {@code AutoencoderKL} as two ONNX graphs, emitted under the names of the DJL part tree
 * ({@code unet.djl.vae}), with the inputs and outputs optimum's exporter gives them: the decoder
 * ({@code post_quant_conv}, {@code decoder.*}) from {@code latent_sample} to {@code sample}, and the encoder
 * ({@code encoder.*}, {@code quant_conv}) from {@code sample} to {@code latent_parameters}, the mean and log-variance
 * concatenated on the channels (the export's denoiser takes the mean and clamps the log-variance, as diffusers does).
 */
public final class AutoencoderGraphs {
    /** diffusers' VAE blocks use this epsilon in every group norm. */
    private static final double EPS = 1e-6;
    private final AutoencoderKLConfig config;
    private final Layers layers;
    private final GraphBuilder g;

    private AutoencoderGraphs(AutoencoderKLConfig config, GraphBuilder g) {
        this.config = config;
        this.g = g;
        this.layers = new Layers(g);
    }

    /**
     * The decoder of {@code config} with its weights from {@code weights} (diffusers keys).
     *
     * @throws io.github.sdm.core.error.ModelFormatException naming a weight {@code weights} lacks or holds in another
     *     shape
     */
    public static BuiltGraph decoder(AutoencoderKLConfig config, WeightSource weights) {
        return decoder(config, weights, Precision.FP32);
    }

    /** As {@link #decoder(AutoencoderKLConfig, WeightSource)}, with the convolution and linear weights in {@code storage}. */
    public static BuiltGraph decoder(AutoencoderKLConfig config, WeightSource weights, Precision storage) {
        GraphBuilder g = new GraphBuilder("vae_decoder", weights, storage);
        new AutoencoderGraphs(config, g).decode();
        return g.build("the VAE decoder built from " + weights.description());
    }

    /** The encoder of {@code config} with its weights from {@code weights}, as {@link #decoder}. */
    public static BuiltGraph encoder(AutoencoderKLConfig config, WeightSource weights) {
        return encoder(config, weights, Precision.FP32);
    }

    /** As {@link #encoder(AutoencoderKLConfig, WeightSource)}, with the convolution and linear weights in {@code storage}. */
    public static BuiltGraph encoder(AutoencoderKLConfig config, WeightSource weights, Precision storage) {
        GraphBuilder g = new GraphBuilder("vae_encoder", weights, storage);
        new AutoencoderGraphs(config, g).encode();
        return g.build("the VAE encoder built from " + weights.description());
    }

    private void decode() {
        int latent = config.latentChannels();
        String z = g.input("latent_sample", ElementType.FLOAT, "batch", (long) latent, "height", "width");
        List<Integer> channels = config.blockOutChannels();
        int deepest = channels.get(channels.size() - 1);
        String h = layers.conv(z, "post_quant_conv", latent, latent, 1, 1, 0);
        h = layers.conv(h, "decoder.conv_in", latent, deepest, 3, 1, 1);
        h = midBlock(h, "decoder.mid_block", deepest);
        int out = deepest;
        for (int i = 0; i < channels.size(); i++) {
            String key = "decoder.up_blocks." + i;
            int in = out;
            out = channels.get(channels.size() - 1 - i);
            for (int j = 0; j < config.layersPerBlock() + 1; j++) {
                h = resnet(h, key + ".resnets." + j, j == 0 ? in : out, out);
            }
            if (i < channels.size() - 1) {
                String doubled = g.node("Resize", List.of(h, "", g.floats(new float[] {1, 1, 2, 2}, 4)),
                        Attribute.of("mode", "nearest"), Attribute.of("coordinate_transformation_mode", "asymmetric"),
                        Attribute.of("nearest_mode", "floor"));
                h = layers.conv(doubled, key + ".upsamplers.0.conv", out, out, 3, 1, 1);
            }
        }
        h = head(h, "decoder", channels.get(0), config.outChannels());
        g.output("sample", h, "batch", (long) config.outChannels(), "image_height", "image_width");
    }

    private void encode() {
        String image = g.input("sample", ElementType.FLOAT, "batch", (long) config.inChannels(), "height", "width");
        List<Integer> channels = config.blockOutChannels();
        String h = layers.conv(image, "encoder.conv_in", config.inChannels(), channels.get(0), 3, 1, 1);
        int out = channels.get(0);
        for (int i = 0; i < channels.size(); i++) {
            String key = "encoder.down_blocks." + i;
            int in = out;
            out = channels.get(i);
            for (int j = 0; j < config.layersPerBlock(); j++) {
                h = resnet(h, key + ".resnets." + j, j == 0 ? in : out, out);
            }
            if (i < channels.size() - 1) {
                // diffusers pads one row and column of zeros at the bottom and right, then convolves unpadded
                h = layers.conv(h, key + ".downsamplers.0.conv", out, out, 3, 2, new long[] {0, 0, 1, 1}, true);
            }
        }
        int last = channels.get(channels.size() - 1);
        h = midBlock(h, "encoder.mid_block", last);
        int moments = 2 * config.latentChannels();
        h = head(h, "encoder", last, moments);
        h = layers.conv(h, "quant_conv", moments, moments, 1, 1, 0);
        g.output("latent_parameters", h, "batch", (long) moments, "latent_height", "latent_width");
    }

    /** {@code conv_norm_out}, SiLU, {@code conv_out}. */
    private String head(String x, String key, int in, int out) {
        String h = layers.silu(layers.groupNorm(x, key + ".conv_norm_out", config.normNumGroups(), in, EPS));
        return layers.conv(h, key + ".conv_out", in, out, 3, 1, 1);
    }

    /** {@code UNetMidBlock2D}: resnet, the optional single-head attention, resnet. */
    private String midBlock(String x, String key, int channels) {
        String h = resnet(x, key + ".resnets.0", channels, channels);
        if (config.midBlockAddAttention()) {
            h = attention(h, key + ".attentions.0", channels);
        }
        return resnet(h, key + ".resnets.1", channels, channels);
    }

    /** {@code ResnetBlock2D} without a time embedding. */
    private String resnet(String x, String key, int in, int out) {
        int groups = config.normNumGroups();
        String h = layers.conv(layers.silu(layers.groupNorm(x, key + ".norm1", groups, in, EPS)), key + ".conv1",
                in, out, 3, 1, 1);
        h = layers.conv(layers.silu(layers.groupNorm(h, key + ".norm2", groups, out, EPS)), key + ".conv2",
                out, out, 3, 1, 1);
        String shortcut = in != out ? layers.conv(x, key + ".conv_shortcut", in, out, 1, 1, 0) : x;
        return layers.add(shortcut, h);
    }

    /** The VAE's attention: group norm, one head over the {@code H*W} positions, {@code to_out.0}, plus the input. */
    private String attention(String x, String key, int channels) {
        String tokens = layers.toTokens(layers.groupNorm(x, key + ".group_norm", config.normNumGroups(), channels,
                EPS), channels);
        String attended = layers.attention(tokens, null, key, channels, channels, 1, channels, true, null);
        return layers.add(layers.fromTokens(attended, x), x);
    }
}
