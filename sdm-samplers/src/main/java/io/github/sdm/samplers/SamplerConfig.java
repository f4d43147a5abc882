package io.github.sdm.samplers;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * An immutable scheduler configuration with diffusers' field names, as found in a model folder's
 * {@code scheduler/scheduler_config.json}, possibly merged with overrides.
 *
 * <p>A field that is absent or JSON {@code null} reads as "not set", and the sampler falls back to the default of the
 * diffusers class it mirrors (diffusers treats {@code None} the same way). A field with the wrong type is reported as a
 * {@link SamplerConfigException} naming the field. JSON is parsed leniently because diffusers writes
 * {@code -Infinity} for {@code lambda_min_clipped}.
 */
public final class SamplerConfig {

    private static final SamplerConfig EMPTY = new SamplerConfig(new LinkedHashMap<>());

    private final Map<String, JsonElement> fields;

    private SamplerConfig(LinkedHashMap<String, JsonElement> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /**
     * The configuration with no field set: every sampler takes its diffusers class's defaults.
     *
     * @return the empty configuration
     */
    public static SamplerConfig empty() {
        return EMPTY;
    }

    /**
     * Parses a JSON object leniently (accepts {@code Infinity}, {@code -Infinity}, {@code NaN}).
     *
     * @param json the text of a {@code scheduler_config.json}
     * @return the configuration
     * @throws SamplerConfigException if the text is not valid JSON or not a JSON object
     */
    public static SamplerConfig parse(String json) {
        JsonElement root;
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.LENIENT);
            root = com.google.gson.JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            throw new SamplerConfigException("scheduler_config", abbreviate(json), "not valid JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            throw new SamplerConfigException("scheduler_config", abbreviate(json), "must be a JSON object");
        }
        return of(root.getAsJsonObject());
    }

    /**
     * A configuration holding a parsed JSON object's fields.
     *
     * @param json the object (deep-copied)
     * @return the configuration
     */
    public static SamplerConfig of(JsonObject json) {
        LinkedHashMap<String, JsonElement> copy = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            copy.put(e.getKey(), e.getValue().deepCopy());
        }
        return new SamplerConfig(copy);
    }

    /**
     * Builds a configuration from Java values: numbers, booleans, strings, {@code null}, primitive arrays, collections,
     * maps and Gson elements.
     *
     * @param values field name to value; a {@code null} value is an explicit JSON {@code null} (unset)
     * @return the configuration
     * @throws SamplerConfigException if a value has another type
     */
    public static SamplerConfig of(Map<String, ?> values) {
        return EMPTY.withOverrides(values);
    }

    /**
     * This configuration with the given fields replaced or added; a {@code null} value unsets a field.
     *
     * @param overrides field name to value, of the types {@link #of(Map)} takes
     * @return a new configuration; this one is unchanged
     * @throws SamplerConfigException if a value has an unsupported type
     */
    public SamplerConfig withOverrides(Map<String, ?> overrides) {
        LinkedHashMap<String, JsonElement> merged = new LinkedHashMap<>(fields);
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            merged.put(e.getKey(), toJson(e.getKey(), e.getValue()));
        }
        return new SamplerConfig(merged);
    }

    /**
     * This configuration with the fields of another replaced or added.
     *
     * @param overrides the fields that win
     * @return a new configuration; this one is unchanged
     */
    public SamplerConfig withOverrides(SamplerConfig overrides) {
        LinkedHashMap<String, JsonElement> merged = new LinkedHashMap<>(fields);
        merged.putAll(overrides.fields);
        return new SamplerConfig(merged);
    }

    /**
     * This configuration with one field replaced or added.
     *
     * @param field the diffusers field name
     * @param value its value, of the types {@link #of(Map)} takes; {@code null} unsets it
     * @return a new configuration; this one is unchanged
     * @throws SamplerConfigException if the value has an unsupported type
     */
    public SamplerConfig with(String field, Object value) {
        return withOverrides(Collections.singletonMap(field, value));
    }

    /**
     * All field names, including those set to {@code null}, in insertion order.
     *
     * @return the names; unmodifiable
     */
    public Set<String> fieldNames() {
        return fields.keySet();
    }

    /**
     * Whether the field is present with a value other than JSON {@code null}.
     *
     * @param field the diffusers field name
     * @return true if set
     */
    public boolean isSet(String field) {
        JsonElement e = fields.get(field);
        return e != null && !e.isJsonNull();
    }

    /**
     * The fields as a JSON object, as a {@code scheduler_config.json} holds them.
     *
     * @return a new object (a deep copy)
     */
    public JsonObject toJson() {
        JsonObject out = new JsonObject();
        fields.forEach((k, v) -> out.add(k, v.deepCopy()));
        return out;
    }

    /**
     * A number field, including {@code Infinity}, {@code -Infinity} and {@code NaN} (also as strings).
     *
     * @param field the diffusers field name
     * @param fallback the value returned when the field is absent or {@code null}
     * @return the value, or {@code fallback}
     * @throws SamplerConfigException if the field is set to something other than a number
     */
    public double getDouble(String field, double fallback) {
        OptionalDouble v = getOptionalDouble(field);
        return v.isPresent() ? v.getAsDouble() : fallback;
    }

    /**
     * A number field, read as {@link #getDouble} reads it.
     *
     * @param field the diffusers field name
     * @return the value, or empty when the field is absent or {@code null}
     * @throws SamplerConfigException if the field is set to something other than a number
     */
    public OptionalDouble getOptionalDouble(String field) {
        if (!isSet(field)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(number(field, fields.get(field)));
    }

    /**
     * An integer field (a number without a fraction, within {@code int}'s range).
     *
     * @param field the diffusers field name
     * @param fallback the value returned when the field is absent or {@code null}
     * @return the value, or {@code fallback}
     * @throws SamplerConfigException if the field is set to something other than an integer
     */
    public int getInt(String field, int fallback) {
        if (!isSet(field)) {
            return fallback;
        }
        return integer(field, fields.get(field));
    }

    /**
     * A boolean field ({@code true} or {@code false}, not a string or number).
     *
     * @param field the diffusers field name
     * @param fallback the value returned when the field is absent or {@code null}
     * @return the value, or {@code fallback}
     * @throws SamplerConfigException if the field is set to something other than a boolean
     */
    public boolean getBoolean(String field, boolean fallback) {
        if (!isSet(field)) {
            return fallback;
        }
        JsonElement e = fields.get(field);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
            return e.getAsBoolean();
        }
        throw new SamplerConfigException(field, e, "must be true or false");
    }

    /**
     * A string field.
     *
     * @param field the diffusers field name
     * @param fallback the value returned when the field is absent or {@code null}
     * @return the value, or {@code fallback}
     * @throws SamplerConfigException if the field is set to something other than a string
     */
    public String getString(String field, String fallback) {
        if (!isSet(field)) {
            return fallback;
        }
        JsonElement e = fields.get(field);
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        throw new SamplerConfigException(field, e, "must be a string");
    }

    /**
     * A list of numbers (e.g. {@code trained_betas}), or empty when not set.
     *
     * @param field the diffusers field name
     * @return a new array, or empty when the field is absent or {@code null}
     * @throws SamplerConfigException if the field is set to something other than a list of numbers
     */
    public Optional<double[]> getDoubleArray(String field) {
        if (!isSet(field)) {
            return Optional.empty();
        }
        JsonArray array = array(field);
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(field + "[" + i + "]", array.get(i));
        }
        return Optional.of(out);
    }

    /**
     * A list of integers (e.g. {@code disable_corrector}), or an empty array when not set.
     *
     * @param field the diffusers field name
     * @return a new array, empty when the field is absent or {@code null}
     * @throws SamplerConfigException if the field is set to something other than a list of integers
     */
    public int[] getIntArray(String field) {
        if (!isSet(field)) {
            return new int[0];
        }
        JsonArray array = array(field);
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(field + "[" + i + "]", array.get(i));
        }
        return out;
    }

    private JsonArray array(String field) {
        JsonElement e = fields.get(field);
        if (!e.isJsonArray()) {
            throw new SamplerConfigException(field, e, "must be a list");
        }
        return e.getAsJsonArray();
    }

    private static double number(String field, JsonElement e) {
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) {
                return p.getAsDouble();
            }
            // Lenient JSON parsing yields the bare tokens Infinity / -Infinity / NaN as strings.
            if (p.isString()) {
                switch (p.getAsString()) {
                    case "Infinity":
                    case "inf":
                        return Double.POSITIVE_INFINITY;
                    case "-Infinity":
                    case "-inf":
                        return Double.NEGATIVE_INFINITY;
                    case "NaN":
                        return Double.NaN;
                    default:
                        break;
                }
            }
        }
        throw new SamplerConfigException(field, e, "must be a number");
    }

    private static int integer(String field, JsonElement e) {
        double d = number(field, e);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new SamplerConfigException(field, e, "must be an integer");
        }
        return (int) d;
    }

    private static JsonElement toJson(String field, Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof JsonElement) {
            return ((JsonElement) value).deepCopy();
        }
        if (value instanceof Number) {
            return new JsonPrimitive((Number) value);
        }
        if (value instanceof Boolean) {
            return new JsonPrimitive((Boolean) value);
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof Enum) {
            return new JsonPrimitive(value.toString());
        }
        if (value.getClass().isArray()) {
            JsonArray out = new JsonArray();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(toJson(field, Array.get(value, i)));
            }
            return out;
        }
        if (value instanceof Collection) {
            JsonArray out = new JsonArray();
            for (Object o : (Collection<?>) value) {
                out.add(toJson(field, o));
            }
            return out;
        }
        if (value instanceof Map) {
            JsonObject out = new JsonObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                out.add(String.valueOf(e.getKey()), toJson(field, e.getValue()));
            }
            return out;
        }
        throw new SamplerConfigException(field, value, "unsupported value type " + value.getClass().getName());
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplerConfig && fields.equals(((SamplerConfig) o).fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        fields.forEach((k, v) -> parts.add(k + "=" + v));
        return "SamplerConfig" + parts;
    }
}
