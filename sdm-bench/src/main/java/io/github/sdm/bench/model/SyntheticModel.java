package io.github.sdm.bench.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.sdm.core.SdmException;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.unet.nn.Part;
import io.github.sdm.unet.unet.UNet2DConditionModel;
import io.github.sdm.unet.unet.UNetConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A diffusers Stable Diffusion folder with real dimensions and seeded random weights, for measuring
 * speed and memory on full-size networks without downloading a checkpoint: {@code model_index.json},
 * {@code unet/}, {@code vae/}, {@code text_encoder/} (config plus safetensors), {@code tokenizer/} (copied
 * from a given folder) and {@code scheduler/}. The configs are those of {@code runwayml/stable-diffusion-v1-5}
 * (safety checker and feature extractor left out); the UNet config can be replaced by a scaled-down one.
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

    private final String unetConfig;

    private SyntheticModel(String unetConfig) {
        this.unetConfig = unetConfig;
    }

    /** Stable Diffusion 1.5's dimensions (UNet 859,520,964 parameters). */
    public static SyntheticModel stableDiffusion15() {
        return new SyntheticModel(resource("unet_config.json"));
    }

    /** The same folder with another UNet config (a diffusers {@code config.json} text), e.g. tiny dims for tests. */
    public SyntheticModel withUNetConfig(String configJson) {
        UNetConfig.parse(configJson, "synthetic UNet config"); // fail now, not halfway through writing
        return new SyntheticModel(configJson);
    }

    /** The UNet's {@code config.json} text. */
    public String unetConfigJson() {
        return unetConfig;
    }

    /** SD 1.5's {@code config.json} of {@code component} ({@code unet}, {@code vae}, {@code text_encoder}) or scheduler. */
    public static String stableDiffusion15Config(String component) {
        return switch (component) {
            case UNET -> resource("unet_config.json");
            case VAE -> resource("vae_config.json");
            case TEXT_ENCODER -> resource("text_encoder_config.json");
            case SCHEDULER -> resource("scheduler_config.json");
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
        List<String> components = new ArrayList<>(List.of(UNET, SCHEDULER, TOKENIZER));
        long parameters = 0;
        try {
            Files.createDirectories(out);
            parameters += writeNetwork(out.resolve(UNET), unetConfig, new UNet2DConditionModel(
                    UNetConfig.parse(unetConfig, "synthetic UNet config")), UNet2DConditionModel.WEIGHTS_FILE,
                    options, progress);
            writeText(out.resolve(SCHEDULER).resolve("scheduler_config.json"), resource("scheduler_config.json"));
            copyFolder(tokenizerSource, out.resolve(TOKENIZER));
            progress.accept("copied " + out.resolve(TOKENIZER) + " from " + tokenizerSource);
            if (!options.unetOnly()) {
                throw new SdmException("make-model: the VAE and text encoder are not available yet; use --unet-only");
            }
            writeText(out.resolve("model_index.json"), modelIndex(components));
        } catch (IOException e) {
            throw new SdmException("Cannot write synthetic model to " + out + ": " + e, e);
        }
        return new Written(out, components, parameters);
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

    private static long writeNetwork(Path folder, String configJson, Part tree, String weightsFile, Options options,
            Consumer<String> progress) throws IOException {
        Files.createDirectories(folder);
        writeText(folder.resolve("config.json"), configJson);
        Path weights = folder.resolve(weightsFile);
        SyntheticWeights.write(tree, options.seed(), options.dtype(), weights);
        long count = tree.allParameters().values().stream().mapToLong(p -> product(p.shape())).sum();
        progress.accept(String.format("wrote %s (%,d parameters, %s, %,d bytes)", weights, count, options.dtype(),
                Files.size(weights)));
        return count;
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
