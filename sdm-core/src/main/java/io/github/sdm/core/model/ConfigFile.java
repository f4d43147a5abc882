package io.github.sdm.core.model;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.github.sdm.core.ModelFormatException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON config file of a model folder ({@code config.json}, {@code scheduler_config.json},
 * {@code model_index.json}) with typed accessors whose errors name the file and the key.
 *
 * <p>Parsed leniently, because Python's {@code json} writes {@code -Infinity}, {@code Infinity} and
 * {@code NaN} (diffusers does for e.g. {@code lambda_min_clipped}); {@link #number} reads them.
 */
public final class ConfigFile {
    private static final Gson GSON = new Gson();

    private final Path path;
    private final JsonObject json;

    public ConfigFile(Path path, JsonObject json) {
        this.path = path;
        this.json = json;
    }

    public static ConfigFile read(Path path) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            JsonReader jsonReader = new JsonReader(reader);
            jsonReader.setStrictness(Strictness.LENIENT);
            JsonElement element = GSON.getAdapter(JsonElement.class).read(jsonReader);
            if (element == null || !element.isJsonObject()) {
                throw new ModelFormatException(path + ": expected a JSON object");
            }
            return new ConfigFile(path, element.getAsJsonObject());
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("Config file not found: " + path);
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new ModelFormatException(path + ": malformed JSON: " + firstLine(e.getMessage()), e);
        }
    }

    public Path path() {
        return path;
    }

    /** The parsed object itself, for keys the accessors do not cover. */
    public JsonObject json() {
        return json;
    }

    /** True if {@code key} is present and not null. */
    public boolean has(String key) {
        JsonElement v = json.get(key);
        return v != null && !v.isJsonNull();
    }

    /** The diffusers class that wrote this config ({@code _class_name}), or null. */
    public String className() {
        return string("_class_name", null);
    }

    public String string(String key) {
        JsonElement v = require(key);
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw wrongType(key, "a string", v);
        }
        return v.getAsString();
    }

    public String string(String key, String defaultValue) {
        return has(key) ? string(key) : defaultValue;
    }

    public int integer(String key) {
        return toInt(key, require(key));
    }

    public int integer(String key, int defaultValue) {
        return has(key) ? integer(key) : defaultValue;
    }

    /** A number, including Python's {@code Infinity}, {@code -Infinity} and {@code NaN}. */
    public double number(String key) {
        return toDouble(key, require(key));
    }

    public double number(String key, double defaultValue) {
        return has(key) ? number(key) : defaultValue;
    }

    public boolean bool(String key) {
        JsonElement v = require(key);
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
            throw wrongType(key, "true or false", v);
        }
        return v.getAsBoolean();
    }

    public boolean bool(String key, boolean defaultValue) {
        return has(key) ? bool(key) : defaultValue;
    }

    public int[] integers(String key) {
        JsonArray a = array(key);
        int[] values = new int[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toInt(key + "[" + i + "]", a.get(i));
        }
        return values;
    }

    /**
     * An integer list, or one integer meaning "this value {@code count} times", as diffusers allows for
     * e.g. {@code attention_head_dim}.
     */
    public int[] integersOrRepeated(String key, int count) {
        JsonElement v = require(key);
        if (v.isJsonArray()) {
            int[] values = integers(key);
            if (values.length != count) {
                throw new ModelFormatException(path + ": '" + key + "' holds " + values.length + " values, expected "
                        + count);
            }
            return values;
        }
        int[] values = new int[count];
        Arrays.fill(values, toInt(key, v));
        return values;
    }

    public double[] numbers(String key) {
        JsonArray a = array(key);
        double[] values = new double[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toDouble(key + "[" + i + "]", a.get(i));
        }
        return values;
    }

    public List<String> strings(String key) {
        JsonArray a = array(key);
        List<String> values = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonElement e = a.get(i);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw wrongType(key + "[" + i + "]", "a string", e);
            }
            values.add(e.getAsString());
        }
        return values;
    }

    private JsonArray array(String key) {
        JsonElement v = require(key);
        if (!v.isJsonArray()) {
            throw wrongType(key, "a list", v);
        }
        return v.getAsJsonArray();
    }

    private JsonElement require(String key) {
        JsonElement v = json.get(key);
        if (v == null || v.isJsonNull()) {
            throw new ModelFormatException(path + ": required key '" + key + "' is missing");
        }
        return v;
    }

    private int toInt(String key, JsonElement v) {
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            double d = v.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw wrongType(key, "an integer", v);
    }

    private double toDouble(String key, JsonElement v) {
        if (v.isJsonPrimitive()) {
            JsonPrimitive p = v.getAsJsonPrimitive();
            if (p.isNumber()) {
                return p.getAsDouble();
            }
            // The lenient reader hands Python's non-finite literals over as strings.
            switch (p.getAsString()) {
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                case "NaN":
                    return Double.NaN;
                default:
                    break;
            }
        }
        throw wrongType(key, "a number", v);
    }

    private ModelFormatException wrongType(String key, String expected, JsonElement found) {
        return new ModelFormatException(path + ": '" + key + "' must be " + expected + ", found " + found);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected end of file";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
