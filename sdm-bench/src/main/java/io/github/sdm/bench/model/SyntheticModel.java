package io.github.sdm.bench.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.model.ModelFolder;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.unet.config.AutoencoderKLConfig;
import io.github.sdm.unet.config.AutoencoderTinyConfig;
import io.github.sdm.unet.config.CLIPTextConfig;
import io.github.sdm.unet.config.UNetConfig;
import io.github.sdm.unet.djl.clip.CLIPTextModel;
import io.github.sdm.unet.djl.nn.Part;
import io.github.sdm.unet.djl.unet.UNet2DConditionModel;
import io.github.sdm.unet.djl.vae.AutoencoderKL;
import io.github.sdm.unet.djl.vae.AutoencoderTiny;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A diffusers Stable Diffusion folder with real dimensions and seeded random weights, for measuring
 * speed and memory on full-size networks without downloading a checkpoint: {@code model_index.json},
 * {@code unet/}, {@code vae/}, {@code text_encoder/} (config plus safetensors), {@code tokenizer/} (copied
 * from a given folder) and {@code scheduler/}. The configs are those of {@code runwayml/stable-diffusion-v1-5}
 * (safety checker and feature extractor left out, as diffusers saves a pipeline without them); each network's
 * config can be replaced, e.g. by a scaled-down one.
 *
 * <p>Weights are written tensor by tensor (see {@link SyntheticWeights}); each network gets the values
 * its own {@code random(config, seed, manager)} factory gives for the same seed.
 */
public final class SyntheticModel {
    private static final String RESOURCES = "/io/github/sdm/bench/model/sd15/";
    private static final String UNET = "unet";
    private static final String VAE = "vae";
    private static final String TEXT_ENCODER = "text_encoder";
    private static final String TOKENIZER = "tokenizer";
    private static final String SCHEDULER = "scheduler";
    /**
     * The sub-folder {@link #writeTaesd} writes to beside the pipeline's components: not a pipeline component
     * ({@code model_index.json} does not name it), but a VAE folder to pass as {@code --vae}.
     */
    public static final String TAESD = "taesd";

    private final String unetConfig;
    private final String vaeConfig;
    private final String textEncoderConfig;

    private SyntheticModel(String unetConfig, String vaeConfig, String textEncoderConfig) {
        // Parsed now so that a bad config fails before anything is written.
        UNetConfig.parse(unetConfig, "synthetic unet/config.json");
        AutoencoderKLConfig.parse(vaeConfig, "synthetic vae/config.json");
        CLIPTextConfig.parse(textEncoderConfig, "synthetic text_encoder/config.json");
        this.unetConfig = unetConfig;
        this.vaeConfig = vaeConfig;
        this.textEncoderConfig = textEncoderConfig;
    }

    /**
     * Stable Diffusion 1.5's dimensions: UNet 859,520,964 parameters, VAE 83,653,863, CLIP ViT-L/14 text
     * encoder 123,060,480.
     */
    public static SyntheticModel stableDiffusion15() {
        return new SyntheticModel(resource("unet_config.json"), resource("vae_config.json"),
                resource("text_encoder_config.json"));
    }

    /** The same folder with another UNet {@code config.json} (diffusers fields), e.g. tiny dims for tests. */
    public SyntheticModel withUNetConfig(String configJson) {
        return new SyntheticModel(configJson, vaeConfig, textEncoderConfig);
    }

    /** The same folder with another VAE {@code config.json}. */
    public SyntheticModel withVaeConfig(String configJson) {
        return new SyntheticModel(unetConfig, configJson, textEncoderConfig);
    }

    /** The same folder with another text encoder {@code config.json} (transformers fields). */
    public SyntheticModel withTextEncoderConfig(String configJson) {
        return new SyntheticModel(unetConfig, vaeConfig, configJson);
    }

    /** The UNet's {@code config.json} text. */
    public String unetConfigJson() {
        return unetConfig;
    }

    public String vaeConfigJson() {
        return vaeConfig;
    }

    public String textEncoderConfigJson() {
        return textEncoderConfig;
    }

    /**
     * SD 1.5's {@code config.json} text of {@code component} ({@code unet}, {@code vae}, {@code text_encoder}),
     * its {@code scheduler} config, or its {@code model_index}.
     */
    public static String stableDiffusion15Config(String component) {
        return switch (component) {
            case UNET -> resource("unet_config.json");
            case VAE -> resource("vae_config.json");
            case TEXT_ENCODER -> resource("text_encoder_config.json");
            case SCHEDULER -> resource("scheduler_config.json");
            case "model_index" -> resource("model_index.json");
            default -> throw new IllegalArgumentException("no SD 1.5 config for component '" + component + "'");
        };
    }

    /**
     * Writes the folder.
     *
     * @param out a folder that does not exist yet or is empty
     * @param tokenizerSource a CLIP tokenizer folder to copy ({@code vocab.json}, {@code merges.txt}, ...)
     * @param progress receives one line per file as it is written
     * @return what was written
     */
    public Written write(Path out, Options options, Path tokenizerSource, Consumer<String> progress) {
        requireEmptyOrAbsent(out);
        requireTokenizer(tokenizerSource);
        List<String> components = new ArrayList<>();
        long parameters = 0;
        try {
            Files.createDirectories(out);
            parameters += writeNetwork(out.resolve(UNET), unetConfig,
                    new UNet2DConditionModel(UNetConfig.parse(unetConfig, "unet")), UNet2DConditionModel.WEIGHTS_FILE,
                    List.of(), options, progress);
            components.add(UNET);
            if (!options.unetOnly()) {
                parameters += writeNetwork(out.resolve(VAE), vaeConfig,
                        new AutoencoderKL(AutoencoderKLConfig.parse(vaeConfig, "vae")), AutoencoderKL.WEIGHTS_FILE,
                        List.of(), options, progress);
                components.add(VAE);
                CLIPTextConfig clip = CLIPTextConfig.parse(textEncoderConfig, "text_encoder");
                parameters += writeNetwork(out.resolve(TEXT_ENCODER), textEncoderConfig, new CLIPTextModel(clip),
                        CLIPTextModel.WEIGHTS_FILE, List.of(positionIds(clip)), options, progress);
                components.add(TEXT_ENCODER);
            }
            writeText(out.resolve(SCHEDULER).resolve("scheduler_config.json"), resource("scheduler_config.json"));
            components.add(SCHEDULER);
            copyFolder(tokenizerSource, out.resolve(TOKENIZER));
            components.add(TOKENIZER);
            progress.accept("copied " + out.resolve(TOKENIZER) + " from " + tokenizerSource);
            writeText(out.resolve(ModelFolder.MODEL_INDEX), modelIndex(components));
        } catch (IOException e) {
            throw new SdmException("Cannot write synthetic model to " + out + ": " + e, e);
        }
        return new Written(out, components, parameters);
    }

    /**
     * Writes a TAESD ({@code AutoencoderTiny} with diffusers' default config, that of {@code madebyollin/taesd} for
     * SD 1.x/2.x) with seeded random weights to {@code folder}, a VAE folder for the
     * component override ({@code --vae}).
     *
     * @param folder a folder that does not exist yet or is empty
     * @return the number of weights written
     */
    public static long writeTaesd(Path folder, Options options, Consumer<String> progress) {
        requireEmptyOrAbsent(folder);
        String config = resource("taesd_config.json");
        try {
            return writeNetwork(folder, config, new AutoencoderTiny(AutoencoderTinyConfig.parse(config, "taesd")),
                    AutoencoderKL.WEIGHTS_FILE, List.of(), options, progress);
        } catch (IOException e) {
            throw new SdmException("Cannot write synthetic TAESD to " + folder + ": " + e, e);
        }
    }

    /** Seed and storage precision of the weights, and whether to write only the UNet (plus scheduler, tokenizer). */
    public record Options(long seed, DType dtype, boolean unetOnly) {
        public Options {
            if (dtype != DType.F32 && dtype != DType.F16) {
                throw new IllegalArgumentException("synthetic weights are F32 or F16, not " + dtype);
            }
        }
    }

    /** The folder, the components it holds, and the number of weights written. */
    public record Written(Path folder, List<String> components, long parameterCount) {
    }

    /** Writes a network's config and weights ({@code extra}: buffers stored beside the weights); returns its weight count. */
    private static long writeNetwork(Path folder, String configJson, Part tree, String weightsFile,
            List<TensorSource> extra, Options options, Consumer<String> progress) throws IOException {
        Files.createDirectories(folder);
        writeText(folder.resolve("config.json"), configJson);
        Path weights = folder.resolve(weightsFile);
        List<TensorSource> tensors = new ArrayList<>(SyntheticWeights.sources(tree, options.seed(), options.dtype()));
        tensors.addAll(extra);
        SafetensorsWriter.write(weights, Map.of("format", "pt"), tensors);
        long count = tree.allParameters().values().stream().mapToLong(p -> product(p.shape())).sum();
        progress.accept(String.format("wrote %s (%,d parameters, %s, %,d bytes)", weights, count, options.dtype(),
                Files.size(weights)));
        return count;
    }

    /**
     * The {@code position_ids} buffer ({@code arange(max_positions)}, I64 {@code [1, positions]}) that SD 1.5's
     * text encoder checkpoint stores beside its weights; loaders ignore it.
     */
    private static TensorSource positionIds(CLIPTextConfig config) {
        long[] ids = new long[config.maxPositionEmbeddings()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        return TensorSource.ofLongs(CLIPTextModel.POSITION_IDS_KEY, ids, 1, ids.length);
    }

    /** SD 1.5's model_index.json restricted to the components written. */
    private static String modelIndex(List<String> components) {
        JsonObject index = JsonParser.parseString(resource("model_index.json")).getAsJsonObject();
        for (String name : List.of(UNET, VAE, TEXT_ENCODER, TOKENIZER, SCHEDULER)) {
            if (!components.contains(name)) {
                index.remove(name);
            }
        }
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(index) + "\n";
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static void requireEmptyOrAbsent(Path out) {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new SdmException("make-model: output " + out + " is a file; give a folder that does not exist yet");
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new SdmException("make-model: output folder " + out
                        + " is not empty; give a new folder (nothing is overwritten)");
            }
        } catch (IOException e) {
            throw new SdmException("Cannot read output folder " + out + ": " + e, e);
        }
    }

    private static void requireTokenizer(Path source) {
        for (String file : List.of("vocab.json", "merges.txt")) {
            if (!Files.isRegularFile(source.resolve(file))) {
                throw new SdmException("make-model: tokenizer folder " + source + " has no " + file
                        + " (point --tokenizer at a CLIP tokenizer folder such as models/tiny-sd/tokenizer)");
            }
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName().toString()));
                }
            }
        }
    }

    private static void writeText(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String resource(String name) {
        try (InputStream in = SyntheticModel.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
