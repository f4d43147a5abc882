package io.github.sdm.assembly.djl.train;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.unet.djl.nn.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A resumable training state in one folder: each trained network as a component folder with its current
 * float32 weights ({@code <component>/}), the EMA ({@code ema.safetensors}), AdamW's moments
 * ({@code adamw.safetensors}) and {@code state.json} (stage, steps done, seed, batch size). The data position
 * and every random draw follow from the seed and the step (see {@code StepRandom}), so nothing else is needed
 * for the resumed run to take the same next step.
 *
 * <p>A checkpoint is written beside the old one ({@code <folder>.partial}) and moved into place when complete,
 * so an interrupted write leaves the previous checkpoint intact.
 */
public final class Checkpoint {
    private static final Gson JSON = new GsonBuilder().setPrettyPrinting().create();
    static final String STATE = "state.json";
    static final String EMA = "ema.safetensors";
    static final String OPTIMIZER = "adamw.safetensors";

    /** What {@code state.json} holds. */
    public record State(String stage, long step, long seed, int batchSize) {
    }

    private Checkpoint() {
    }

    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve(STATE));
    }

    /**
     * Refuses to start over a checkpoint unless resuming: a run that meant to start afresh would otherwise
     * silently continue (or overwrite) an earlier one.
     */
    public static void requireResumeIfPresent(Path folder, boolean resume) {
        if (exists(folder) && !resume) {
            throw new SdmException("a checkpoint is already at " + folder
                    + ": pass --resume to continue it, or give another output folder");
        }
    }

    /** The folder of {@code component}'s weights in the checkpoint (a diffusers component folder). */
    public static Path networkFolder(Path folder, String component) {
        return folder.resolve(component);
    }

    /** Loads {@code component}'s network as the checkpoint left it. */
    public static Network loadNetwork(Path folder, String component, NDManager manager) {
        return ComponentFolders.load(component, networkFolder(folder, component), manager);
    }

    public static void write(Path folder, State state, Map<String, String> configs, TrainedNetworks networks,
            AdamW optimizer, WeightEma ema) {
        Path partial = folder.resolveSibling(folder.getFileName() + ".partial");
        deleteRecursively(partial);
        networks.networks().forEach((component, network) -> ComponentFolders.write(
                networkFolder(partial, component), component, configs.get(component),
                ComponentFolders.weightsOf(network), DType.F32));
        ComponentFolders.writeArrays(partial.resolve(EMA), ema.averages());
        ComponentFolders.writeArrays(partial.resolve(OPTIMIZER), optimizer.state());
        JsonObject json = new JsonObject();
        json.addProperty("stage", state.stage());
        json.addProperty("step", state.step());
        json.addProperty("seed", state.seed());
        json.addProperty("batch_size", state.batchSize());
        try {
            Files.writeString(partial.resolve(STATE), JSON.toJson(json) + "\n");
            deleteRecursively(folder);
            Files.move(partial, folder);
        } catch (IOException e) {
            throw new SdmException("Cannot write checkpoint " + folder + ": " + e, e);
        }
    }

    /** Reads {@code state.json}; errors name the file and the key. */
    public static State readState(Path folder) {
        Path file = folder.resolve(STATE);
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            for (String key : new String[] {"stage", "step", "seed", "batch_size"}) {
                if (!json.has(key)) {
                    throw new SdmException(file + ": '" + key + "' is missing");
                }
            }
            return new State(json.get("stage").getAsString(), json.get("step").getAsLong(),
                    json.get("seed").getAsLong(), json.get("batch_size").getAsInt());
        } catch (IOException e) {
            throw new SdmException("Cannot read checkpoint state " + file + ": " + e, e);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new SdmException(file + " is not a checkpoint state: " + e.getMessage(), e);
        }
    }

    /** Restores the optimizer's moments and step count and the EMA from the checkpoint. */
    public static void restore(Path folder, State state, AdamW optimizer, WeightEma ema) {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        ComponentFolders.readArrays(folder.resolve(OPTIMIZER), values, shapes);
        optimizer.restore(state.step(), values, shapes);
        values.clear();
        shapes.clear();
        ComponentFolders.readArrays(folder.resolve(EMA), values, shapes);
        ema.restore(values, shapes);
    }

    /** Deletes {@code path} and everything under it, if it exists. */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new SdmException("Cannot delete " + path + ": " + e, e);
        }
    }

}
