package io.github.sdm.unet.nn;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.github.sdm.core.ModelFormatException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A component's {@code config.json} (diffusers or Hugging Face transformers), read field by field: every
 * error is a {@link ModelFormatException} naming the file and the field. Parsed leniently, since diffusers
 * writes {@code -Infinity} and {@code NaN} into some configs.
 */
public final class JsonConfig {
    private final JsonObject object;
    private final String source;

    private JsonConfig(JsonObject object, String source) {
        this.object = object;
        this.source = source;
    }

    public static JsonConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("Config file not found: " + file);
        } catch (IOException e) {
            throw new ModelFormatException("Cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses a JSON object; {@code source} names it in error messages. */
    public static JsonConfig parse(String json, String source) {
        try (Reader r = new StringReader(json)) {
            JsonReader reader = new JsonReader(r);
            reader.setStrictness(Strictness.LENIENT);
            JsonElement e = JsonParser.parseReader(reader);
            if (!e.isJsonObject()) {
                throw new ModelFormatException(source + ": expected a JSON object");
            }
            return new JsonConfig(e.getAsJsonObject(), source);
        } catch (JsonParseException | IOException e) {
            throw new ModelFormatException(source + ": malformed JSON: " + e.getMessage(), e);
        }
    }

    public String source() {
        return source;
    }

    /** Whether the field is present and not null. */
    public boolean has(String key) {
        JsonElement e = object.get(key);
        return e != null && !e.isJsonNull();
    }

    /** Whether the field is present and a list. */
    public boolean isList(String key) {
        return has(key) && object.get(key).isJsonArray();
    }

    public int intValue(String key) {
        return toInt(key, required(key));
    }

    public int intValue(String key, int fallback) {
        return has(key) ? intValue(key) : fallback;
    }

    public double doubleValue(String key) {
        return toDouble(key, required(key));
    }

    public double doubleValue(String key, double fallback) {
        return has(key) ? doubleValue(key) : fallback;
    }

    public boolean booleanValue(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonElement e = object.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw error(key, e, "expected true or false");
        }
        return e.getAsBoolean();
    }

    public String string(String key) {
        JsonElement e = required(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw error(key, e, "expected a string");
        }
        return e.getAsString();
    }

    public String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    public List<Integer> intList(String key) {
        List<Integer> out = new ArrayList<>();
        for (JsonElement e : array(key)) {
            out.add(toInt(key, e));
        }
        return List.copyOf(out);
    }

    public List<String> stringList(String key) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : array(key)) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw error(key, e, "expected a list of strings");
            }
            out.add(e.getAsString());
        }
        return List.copyOf(out);
    }

    /** An error about field {@code key} holding {@code value}: "{source}: {key} = {value}: {why}". */
    public ModelFormatException error(String key, Object value, String why) {
        return new ModelFormatException(source + ": " + key + " = " + value + ": " + why);
    }

    private JsonArray array(String key) {
        JsonElement e = required(key);
        if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw error(key, e, "expected a non-empty list");
        }
        return e.getAsJsonArray();
    }

    private JsonElement required(String key) {
        if (!has(key)) {
            throw new ModelFormatException(source + ": required field '" + key + "' is missing");
        }
        return object.get(key);
    }

    private int toInt(String key, JsonElement e) {
        double d = toDouble(key, e);
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw error(key, e, "expected an integer");
        }
        return (int) d;
    }

    private double toDouble(String key, JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw error(key, e, "expected a number");
        }
        return e.getAsDouble();
    }
}
