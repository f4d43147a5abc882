package io.github.sdm.unet.graph;

import io.github.sdm.core.model.Precision;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.weights.WeightSource;
import java.util.List;

/**
 * diffusers' {@code AutoencoderTiny} (TAESD) as two ONNX graphs, emitted under the names of the DJL part tree
 * ({@code unet.djl.vae}: {@code encoder.layers.N}, {@code decoder.layers.N}, the indices of diffusers' sequences, ReLUs
 * and upsamplers included): the decoder from {@code latent_sample} (raw latents, already divided by the scaling
 * factor) to {@code sample} (about {@code [-1, 1]}), and the encoder from {@code sample} ({@code [-1, 1]}) to
 * {@link #LATENTS}, the raw latents: deterministic, no distribution.
 */
public final class TinyAutoencoderGraphs {
    /** The encoder's output: TAESD maps an image straight to latents. */
    public static final String LATENTS = "latents";
    /** diffusers' soft clamp of the decoder's input: {@code tanh(x / 3) * 3}. */
    private static final float CLAMP = 3f;

    private final AutoencoderTinyConfig config;
    private final Layers layers;
    private final GraphBuilder g;
    private int index;

    private TinyAutoencoderGraphs(AutoencoderTinyConfig config, GraphBuilder g) {
        this.config = config;
        this.g = g;
        this.layers = new Layers(g);
    }

    /**
     * The decoder of {@code config} with its weights from {@code weights} (diffusers keys), convolution weights held in
     * {@code storage}.
     *
     * @throws io.github.sdm.core.error.ModelFormatException naming a weight {@code weights} lacks or holds in another
     *     shape
     */
    public static BuiltGraph decoder(AutoencoderTinyConfig config, WeightSource weights, Precision storage) {
        GraphBuilder g = new GraphBuilder("vae_decoder", weights, storage);
        new TinyAutoencoderGraphs(config, g).decode();
        return g.build("the TAESD decoder built from " + weights.description());
    }

    /** The encoder of {@code config} with its weights from {@code weights}, as {@link #decoder}. */
    public static BuiltGraph encoder(AutoencoderTinyConfig config, WeightSource weights, Precision storage) {
        GraphBuilder g = new GraphBuilder("vae_encoder", weights, storage);
        new TinyAutoencoderGraphs(config, g).encode();
        return g.build("the TAESD encoder built from " + weights.description());
    }

    /** {@code DecoderTiny}: soft clamp, convolution and ReLU, per level its blocks and an upsampling, then to [-1, 1]. */
    private void decode() {
        int latent = config.latentChannels();
        String z = g.input("latent_sample", ElementType.FLOAT, "batch", (long) latent, "height", "width");
        String scaled = g.node("Div", List.of(z, g.scalar(CLAMP)));
        String h = g.node("Mul", List.of(g.node("Tanh", List.of(scaled)), g.scalar(CLAMP)));
        List<Integer> channels = config.decoderBlockOutChannels();
        h = relu(conv(h, "decoder", latent, channels.get(0), 1, true));
        index++; // the ReLU is layer 1 of the sequence
        for (int level = 0; level < channels.size(); level++) {
            boolean last = level == channels.size() - 1;
            int width = channels.get(level);
            for (int b = 0; b < config.numDecoderBlocks().get(level); b++) {
                h = block(h, "decoder", width, width);
            }
            if (!last) {
                long f = config.upsamplingScalingFactor();
                h = g.node("Resize", List.of(h, "", g.floats(new float[] {1, 1, f, f}, 4)),
                        Attribute.of("mode", "nearest"), Attribute.of("coordinate_transformation_mode", "asymmetric"),
                        Attribute.of("nearest_mode", "floor"));
                index++;
            }
            h = conv(h, "decoder", width, last ? config.outChannels() : width, 1, last);
        }
        String image = g.node("Sub", List.of(g.node("Mul", List.of(h, g.scalar(2f))), g.scalar(1f)));
        g.output("sample", image, "batch", (long) config.outChannels(), "image_height", "image_width");
    }

    /** {@code EncoderTiny}: to [0, 1], per level a (strided) convolution and its blocks, a convolution to the latents. */
    private void encode() {
        String image = g.input("sample", ElementType.FLOAT, "batch", (long) config.inChannels(), "height", "width");
        String h = g.node("Div", List.of(g.node("Add", List.of(image, g.scalar(1f))), g.scalar(2f)));
        List<Integer> channels = config.encoderBlockOutChannels();
        for (int level = 0; level < channels.size(); level++) {
            int width = channels.get(level);
            h = level == 0 ? conv(h, "encoder", config.inChannels(), width, 1, true)
                    : conv(h, "encoder", width, width, 2, false);
            for (int b = 0; b < config.numEncoderBlocks().get(level); b++) {
                h = block(h, "encoder", width, width);
            }
        }
        h = conv(h, "encoder", channels.get(channels.size() - 1), config.latentChannels(), 1, true);
        g.output(LATENTS, h, "batch", (long) config.latentChannels(), "latent_height", "latent_width");
    }

    /** The next layer of the sequence: a 3x3 convolution padded 1. */
    private String conv(String x, String half, int in, int out, int stride, boolean bias) {
        String key = half + ".layers." + index++;
        return layers.conv(x, key, in, out, 3, stride, new long[] {1, 1, 1, 1}, bias);
    }

    /**
     * The next layer, an {@code AutoencoderTinyBlock}: {@code relu(conv.4(relu(conv.2(relu(conv.0(x))))) + skip(x))},
     * {@code skip} a 1x1 convolution without bias when the channels change.
     */
    private String block(String x, String half, int in, int out) {
        String key = half + ".layers." + index++;
        String h = relu(layers.conv(x, key + ".conv.0", in, out, 3, 1, 1));
        h = relu(layers.conv(h, key + ".conv.2", out, out, 3, 1, 1));
        h = layers.conv(h, key + ".conv.4", out, out, 3, 1, 1);
        String shortcut = in != out ? layers.conv(x, key + ".skip", in, out, 1, 1, new long[] {0, 0, 0, 0}, false) : x;
        return relu(layers.add(h, shortcut));
    }

    private String relu(String x) {
        return g.node("Relu", List.of(x));
    }
}
