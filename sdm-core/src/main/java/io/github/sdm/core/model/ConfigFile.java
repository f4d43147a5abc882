package io.github.sdm.core.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.files.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON config of a model ({@code config.json}, {@code scheduler_config.json}, {@code model_index.json}),
 * the one reader of them all, with typed accessors whose errors name the source (the file) and the key.
 *
 * <p>Every error is a {@link ModelFormatException} in one of these forms:
 * <ul>
 *   <li>{@code <source>: required key '<key>' is missing}</li>
 *   <li>{@code <source>: '<key>' = <value as JSON>: <why>} (wrong type, unsupported or invalid value; list
 *       elements are named {@code '<key>[i]'}), or {@code <source>: '<key>' (absent): <why>} when the
 *       default of an absent key does not fit</li>
 *   <li>{@code <source>: <message>} (whole-file problems: not found, not a regular file, malformed JSON with
 *       its line and column, not an object, or a check spanning several keys)</li>
 * </ul>
 *
 * <p>An explicit {@code null} is a value, not absence: {@link #isNull} and {@link #contains} tell them
 * apart. The accessors with a default return it for both (diffusers reads {@code None} as "use the
 * default"); those without one reject both, naming which it was.
 *
 * <p>Parsed leniently, because Python's {@code json} writes {@code -Infinity}, {@code Infinity} and
 * {@code NaN} (diffusers does for e.g. {@code lambda_min_clipped}); {@link #number} reads them.
 */
public final class ConfigFile {
    private final String source;
    private final Path path;
    private final JsonObject json;

    private ConfigFile(String source, Path path, JsonObject json) {
        this.source = source;
        this.path = path;
        this.json = json;
    }

    /**
     * A config already parsed from {@code path}.
     *
     * @param path the file it was read from; errors name it
     * @param json the parsed object (kept, not copied)
     */
    public ConfigFile(Path path, JsonObject json) {
        this(path.toString(), path, json);
    }

    /**
     * Reads and parses a config file (UTF-8, lenient JSON); errors name {@code path}, and a malformed one its line
     * and column. Only a regular file (or a link to one) is read: a named pipe would block the load.
     *
     * @param path the config file
     * @return the config
     * @throws ModelFormatException if the file is missing, not a regular file or unreadable, is not valid JSON, or
     *     does not hold a JSON object
     */
    public static ConfigFile read(Path path) {
        return new ConfigFile(path.toString(), path, object(JsonFiles.read(path, "config file"), path.toString()));
    }

    /**
     * Parses a config given as text (lenient JSON).
     *
     * @param text the JSON text
     * @param source how errors name it (a file name, say)
     * @return the config, with no {@link #path()}
     * @throws ModelFormatException if the text is not valid JSON or does not hold a JSON object
     */
    public static ConfigFile parse(String text, String source) {
        return new ConfigFile(source, null, object(JsonFiles.parse(text, source), source));
    }

    private static JsonObject object(JsonElement element, String source) {
        if (element == null || !element.isJsonObject()) {
            throw new ModelFormatException(source + ": expected a JSON object");
        }
        return element.getAsJsonObject();
    }

    /**
     * The file this config was read from.
     *
     * @return the file, or null if it was parsed from text
     */
    public Path path() {
        return path;
    }

    /**
     * How errors name this config.
     *
     * @return the file's path, or the source given to {@link #parse}
     */
    public String source() {
        return source;
    }

    /**
     * The parsed object itself, for keys the accessors do not cover.
     *
     * @return the object (not a copy: do not modify it)
     */
    public JsonObject json() {
        return json;
    }

    /**
     * Whether {@code key} is present and not null.
     *
     * @param key the key
     * @return true if present with a non-null value
     */
    public boolean has(String key) {
        JsonElement v = json.get(key);
        return v != null && !v.isJsonNull();
    }

    /**
     * Whether {@code key} is present, even with a null value.
     *
     * @param key the key
     * @return true if present
     */
    public boolean contains(String key) {
        return json.has(key);
    }

    /**
     * Whether {@code key} is present with an explicit {@code null}.
     *
     * @param key the key
     * @return true if present and null; false if absent or set
     */
    public boolean isNull(String key) {
        JsonElement v = json.get(key);
        return v != null && v.isJsonNull();
    }

    /**
     * Whether {@code key} is present and a list.
     *
     * @param key the key
     * @return true if its value is a JSON array
     */
    public boolean isList(String key) {
        JsonElement v = json.get(key);
        return v != null && v.isJsonArray();
    }

    /**
     * The diffusers class that wrote this config ({@code _class_name}).
     *
     * @return the class name, or null if absent or null
     * @throws ModelFormatException if {@code _class_name} is not a string
     */
    public String className() {
        return string("_class_name", null);
    }

    /**
     * A required string.
     *
     * @param key the key
     * @return its value
     * @throws ModelFormatException if the key is missing or null, or its value is not a string
     */
    public String string(String key) {
        return toString(key, require(key));
    }

    /**
     * An optional string.
     *
     * @param key the key
     * @param defaultValue returned when the key is absent or null
     * @return its value, or {@code defaultValue}
     * @throws ModelFormatException if the key is set but its value is not a string
     */
    public String string(String key, String defaultValue) {
        return has(key) ? string(key) : defaultValue;
    }

    /**
     * A required integer (a JSON number without a fraction, within {@code int}'s range).
     *
     * @param key the key
     * @return its value
     * @throws ModelFormatException if the key is missing or null, or its value is not an integer
     */
    public int integer(String key) {
        return toInt(key, require(key));
    }

    /**
     * An optional integer.
     *
     * @param key the key
     * @param defaultValue returned when the key is absent or null
     * @return its value, or {@code defaultValue}
     * @throws ModelFormatException if the key is set but its value is not an integer
     */
    public int integer(String key, int defaultValue) {
        return has(key) ? integer(key) : defaultValue;
    }

    /**
     * A required number, including Python's {@code Infinity}, {@code -Infinity} and {@code NaN}.
     *
     * @param key the key
     * @return its value
     * @throws ModelFormatException if the key is missing or null, or its value is not a number
     */
    public double number(String key) {
        return toDouble(key, require(key));
    }

    /**
     * An optional number, read as {@link #number(String)} reads it.
     *
     * @param key the key
     * @param defaultValue returned when the key is absent or null
     * @return its value, or {@code defaultValue}
     * @throws ModelFormatException if the key is set but its value is not a number
     */
    public double number(String key, double defaultValue) {
        return has(key) ? number(key) : defaultValue;
    }

    /**
     * A required boolean ({@code true} or {@code false}, not a string or number).
     *
     * @param key the key
     * @return its value
     * @throws ModelFormatException if the key is missing or null, or its value is not a boolean
     */
    public boolean bool(String key) {
        JsonElement v = require(key);
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
            throw invalid(key, v, "expected true or false");
        }
        return v.getAsBoolean();
    }

    /**
     * An optional boolean.
     *
     * @param key the key
     * @param defaultValue returned when the key is absent or null
     * @return its value, or {@code defaultValue}
     * @throws ModelFormatException if the key is set but its value is not a boolean
     */
    public boolean bool(String key, boolean defaultValue) {
        return has(key) ? bool(key) : defaultValue;
    }

    /**
     * A required list of integers.
     *
     * @param key the key
     * @return its values, in order
     * @throws ModelFormatException if the key is missing or null, is not a list, or an element is not an integer
     *     (named {@code '<key>[i]'})
     */
    public int[] integers(String key) {
        JsonArray a = array(key);
        int[] values = new int[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toInt(key + "[" + i + "]", a.get(i));
        }
        return values;
    }

    /**
     * An integer list of {@code count} values, or one integer meaning "this value {@code count} times", as
     * diffusers allows for per-block settings such as {@code attention_head_dim}.
     *
     * @param key the key
     * @param count how many values the list must hold
     * @return {@code count} values
     * @throws ModelFormatException if the key is missing or null, a list of another length, or neither an integer
     *     nor a list of integers
     */
    public int[] integersOrRepeated(String key, int count) {
        JsonElement v = require(key);
        if (v.isJsonArray()) {
            int[] values = integers(key);
            if (values.length != count) {
                throw invalid(key, v, "holds " + values.length + " values, expected " + count);
            }
            return values;
        }
        int[] values = new int[count];
        Arrays.fill(values, toInt(key, v));
        return values;
    }

    /**
     * A required list of numbers.
     *
     * @param key the key
     * @return its values, in order
     * @throws ModelFormatException if the key is missing or null, is not a list, or an element is not a number (named
     *     {@code '<key>[i]'})
     */
    public double[] numbers(String key) {
        JsonArray a = array(key);
        double[] values = new double[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toDouble(key + "[" + i + "]", a.get(i));
        }
        return values;
    }

    /**
     * A required list of strings.
     *
     * @param key the key
     * @return its values, in order
     * @throws ModelFormatException if the key is missing or null, is not a list, or an element is not a string (named
     *     {@code '<key>[i]'})
     */
    public List<String> strings(String key) {
        JsonArray a = array(key);
        List<String> values = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            values.add(toString(key + "[" + i + "]", a.get(i)));
        }
        return values;
    }

    /**
     * An error about {@code key}'s value: {@code "<source>: '<key>' = <value>: <why>"}, the value as the
     * file holds it, or {@code "<source>: '<key>' (absent): <why>"} if the key is missing.
     *
     * @param key the key at fault
     * @param why what is wrong with its value
     * @return the error, for the caller to throw
     */
    public ModelFormatException invalid(String key, String why) {
        JsonElement v = json.get(key);
        return v == null ? new ModelFormatException(source + ": '" + key + "' (absent): " + why) : invalid(key, v, why);
    }

    /**
     * An error about the config as a whole, or several keys together: {@code "<source>: <message>"}.
     *
     * @param message what is wrong
     * @return the error, for the caller to throw
     */
    public ModelFormatException error(String message) {
        return new ModelFormatException(source + ": " + message);
    }

    /**
     * The error {@link #invalid(String, String)} gives, for a value read from {@code source} earlier (a
     * config derived from it, say): {@code "<source>: '<key>' = <value>: <why>"}.
     *
     * @param source how the config is named, usually its file
     * @param key the key at fault
     * @param value its value, as the file holds it
     * @param why what is wrong with it
     * @return the error, for the caller to throw
     */
    public static ModelFormatException invalidValue(String source, String key, Object value, String why) {
        return new ModelFormatException(source + ": '" + key + "' = " + value + ": " + why);
    }

    private ModelFormatException invalid(String key, JsonElement value, String why) {
        return invalidValue(source, key, value, why);
    }

    private JsonArray array(String key) {
        JsonElement v = require(key);
        if (!v.isJsonArray()) {
            throw invalid(key, v, "expected a list");
        }
        return v.getAsJsonArray();
    }

    private JsonElement require(String key) {
        JsonElement v = json.get(key);
        if (v == null) {
            throw new ModelFormatException(source + ": required key '" + key + "' is missing");
        }
        if (v.isJsonNull()) {
            throw invalid(key, v, "a value is required");
        }
        return v;
    }

    private String toString(String key, JsonElement v) {
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            throw invalid(key, v, "expected a string");
        }
        return v.getAsString();
    }

    private int toInt(String key, JsonElement v) {
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            double d = v.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw invalid(key, v, "expected an integer");
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
        throw invalid(key, v, "expected a number");
    }

    @Override
    public String toString() {
        return source;
    }
}
