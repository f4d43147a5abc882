package io.github.sdm.core.safetensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.files.JsonFiles;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of one checkpoint, whether a single {@code .safetensors} file or a sharded one (a
 * {@code *.safetensors.index.json} whose {@code weight_map} names the shard holding each tensor), behind
 * one lookup. Every shard's header is read and checked on open.
 */
public final class SafetensorsWeights implements AutoCloseable {
    private static final String INDEX_SUFFIX = ".json";

    private final Path source;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileOf;
    private final Map<String, String> metadata;

    private SafetensorsWeights(Path source, List<SafetensorsFile> files, Map<String, SafetensorsFile> fileOf,
            Map<String, String> metadata) {
        this.source = source;
        this.files = files;
        this.fileOf = fileOf;
        this.metadata = metadata;
    }

    /** Opens a {@code .safetensors} file, or a shard index (a name ending in {@code .json}) and its shards. */
    public static SafetensorsWeights open(Path fileOrIndex) {
        if (fileOrIndex.getFileName().toString().endsWith(INDEX_SUFFIX)) {
            return openIndex(fileOrIndex);
        }
        SafetensorsFile file = SafetensorsFile.open(fileOrIndex);
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        file.names().forEach(name -> fileOf.put(name, file));
        return new SafetensorsWeights(fileOrIndex, List.of(file), Collections.unmodifiableMap(fileOf), file.metadata());
    }

    /** Opens the weights of a component folder such as {@code unet/}; see {@link ComponentWeightFiles}. */
    public static SafetensorsWeights openComponent(Path folder) {
        return openComponent(folder, null);
    }

    /** As {@link #openComponent(Path)}, for a variant such as {@code "fp16"} (null: the plain files). */
    public static SafetensorsWeights openComponent(Path folder, String variant) {
        return open(ComponentWeightFiles.locate(folder, variant));
    }

    private static SafetensorsWeights openIndex(Path index) {
        JsonObject json = readIndex(index);
        JsonElement weightMap = json.get("weight_map");
        if (weightMap == null || !weightMap.isJsonObject()) {
            throw new ModelFormatException(index + ": shard index needs a \"weight_map\" object (tensor name -> shard file)");
        }
        Map<String, String> shardOf = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : weightMap.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new ModelFormatException(index + ": weight_map entry '" + e.getKey()
                        + "' must name a shard file, found " + v);
            }
            shardOf.put(e.getKey(), v.getAsString());
        }
        Path folder = index.toAbsolutePath().normalize().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            for (String shardName : shardOf.values()) {
                if (!shards.containsKey(shardName)) {
                    shards.put(shardName, openShard(index, folder, shardName));
                }
            }
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : shardOf.entrySet()) {
                SafetensorsFile shard = shards.get(e.getValue());
                if (!shard.contains(e.getKey())) {
                    throw new ModelFormatException(index + ": weight_map puts tensor '" + e.getKey() + "' in shard "
                            + e.getValue() + ", which does not hold it");
                }
                fileOf.put(e.getKey(), shard);
            }
            return new SafetensorsWeights(index, List.copyOf(shards.values()), Collections.unmodifiableMap(fileOf),
                    indexMetadata(json));
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static SafetensorsFile openShard(Path index, Path folder, String shardName) {
        Path shard = folder.resolve(shardName).normalize();
        if (!shard.startsWith(folder) || shard.equals(folder)) {
            throw new ModelFormatException(index + ": shard file '" + shardName + "' is not a file in " + folder);
        }
        if (!Files.exists(shard)) {
            throw new ModelFormatException(index + ": shard file " + shardName + " is missing (looked for " + shard + ")");
        }
        return SafetensorsFile.open(shard);
    }

    private static JsonObject readIndex(Path index) {
        if (!Files.exists(index)) {
            throw new ModelFormatException("Shard index not found: " + index);
        }
        JsonElement json = JsonFiles.read(index, "shard index");
        if (!json.isJsonObject()) {
            throw new ModelFormatException(index + ": shard index is not a JSON object");
        }
        return json.getAsJsonObject();
    }

    private static Map<String, String> indexMetadata(JsonObject json) {
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonElement m = json.get("metadata");
        if (m != null && m.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : m.getAsJsonObject().entrySet()) {
                JsonElement v = e.getValue();
                boolean isString = v.isJsonPrimitive() && v.getAsJsonPrimitive().isString();
                metadata.put(e.getKey(), isString ? v.getAsString() : v.toString());
            }
        }
        return Collections.unmodifiableMap(metadata);
    }

    /** The file or shard index this was opened from. */
    public Path source() {
        return source;
    }

    /** The {@code .safetensors} files read: one, or each shard once. */
    public List<Path> files() {
        List<Path> paths = new ArrayList<>();
        files.forEach(f -> paths.add(f.path()));
        return paths;
    }

    public Set<String> names() {
        return fileOf.keySet();
    }

    public boolean contains(String name) {
        return fileOf.containsKey(name);
    }

    /** A single file's {@code __metadata__}, or a shard index's {@code metadata} (e.g. {@code total_size}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The file holding {@code name}. */
    public Path fileOf(String name) {
        return file(name).path();
    }

    /** The tensor's entry; its byte range is relative to its own file's data section. */
    public TensorInfo info(String name) {
        return file(name).info(name);
    }

    public ByteBuffer bytes(String name) {
        return file(name).bytes(name);
    }

    public float[] floats(String name) {
        return file(name).floats(name);
    }

    public long[] longs(String name) {
        return file(name).longs(name);
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile file = fileOf.get(name);
        if (file == null) {
            throw new ModelFormatException(source + ": no tensor named '" + name + "'");
        }
        return file;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
