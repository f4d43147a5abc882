package io.github.sdm.core.safetensors;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.github.sdm.core.error.ModelFormatException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict parsing of the JSON header: UTF-8, one JSON object and nothing after it but the space padding,
 * no duplicate keys (Gson's own parser is lenient and silently keeps the last duplicate).
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";

    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);

    private SafetensorsHeader() {
    }

    static JsonObject parse(Path path, ByteBuffer utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(utf8).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(path + ": malformed header, not valid UTF-8");
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw new ModelFormatException(path + ": malformed header, expected a JSON object but it starts with "
                        + quoteStart(text));
            }
            JsonObject header = new JsonObject();
            reader.beginObject();
            while (reader.hasNext()) {
                String key = reader.nextName();
                if (header.has(key)) {
                    throw new ModelFormatException(path + ": malformed header, key '" + key + "' appears twice");
                }
                header.add(key, ELEMENTS.read(reader));
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ModelFormatException(path + ": malformed header, text follows the JSON object");
            }
            return header;
        } catch (IOException | IllegalStateException | com.google.gson.JsonParseException e) {
            throw new ModelFormatException(path + ": malformed JSON header: " + firstLine(e.getMessage()), e);
        }
    }

    /** The {@code __metadata__} map; the format wants string values, other values are kept as JSON text. */
    static Map<String, String> metadata(Path path, JsonElement element) {
        if (!element.isJsonObject()) {
            throw new ModelFormatException(path + ": " + METADATA_KEY + " must be a JSON object, found " + element);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> m : element.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            boolean isString = v.isJsonPrimitive() && v.getAsJsonPrimitive().isString();
            metadata.put(m.getKey(), isString ? v.getAsString() : v.toString());
        }
        return metadata;
    }

    private static String quoteStart(String text) {
        String start = text.strip();
        return "'" + (start.length() > 20 ? start.substring(0, 20) + "..." : start) + "'";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected end";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        // Gson suggests lenient parsing, which is no advice for a damaged file.
        return line.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "invalid JSON");
    }
}
