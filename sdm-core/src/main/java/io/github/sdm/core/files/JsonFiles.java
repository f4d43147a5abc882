package io.github.sdm.core.files;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.github.sdm.core.error.ModelFormatException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON files of a model (configs, {@code model_index.json}, tokenizer files, shard indexes) leniently,
 * as Python's {@code json} writes them ({@code NaN}, {@code Infinity}), with errors in plain words:
 * {@code <file>: malformed JSON at line 3, column 7: expected ':'}, never Gson's exception names or
 * its troubleshooting links.
 */
public final class JsonFiles {
    // Gson appends the position to its messages: "... at line 3 column 7 path $.a"
    private static final Pattern POSITION = Pattern.compile("(.*?)\\s*\\bat line (\\d+) column (\\d+)(?: path \\S*)?");

    private JsonFiles() {
    }

    /**
     * The JSON value of {@code path}, which must be a regular file (or a link to one).
     *
     * @param path the file to read
     * @param what what the file holds, for the "not found" message ("config file", "tokenizer vocabulary")
     * @return the parsed value (a {@code JsonNull} for an empty file)
     * @throws ModelFormatException naming the file when it is missing, unreadable, not a regular file or not JSON
     */
    public static JsonElement read(Path path, String what) {
        RegularFiles.check(path, ModelFormatException::new);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(path + ": " + what + " not found");
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(path + ": " + what + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read the " + what + ": " + e.getMessage(), e);
        }
        return parse(text, path.toString());
    }

    /**
     * The JSON value of {@code text}.
     *
     * @param text the JSON text
     * @param source how errors name the text (a file name, say)
     * @return the parsed value (a {@code JsonNull} for empty text)
     * @throws ModelFormatException {@code <source>: malformed JSON at line L, column C: <what is wrong>}
     */
    public static JsonElement parse(String text, String source) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.LENIENT);
        JsonElement value;
        try {
            value = JsonParser.parseReader(reader);
        } catch (JsonParseException | IllegalStateException e) {
            throw new ModelFormatException(source + ": malformed JSON" + describe(e), e);
        }
        if (!value.isJsonNull() && !endsHere(reader)) {
            throw new ModelFormatException(source + ": malformed JSON" + position(reader.toString())
                    + ": more text follows the JSON value");
        }
        return value;
    }

    private static boolean endsHere(JsonReader reader) {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException | IllegalStateException notAValue) {
            return false;
        }
    }

    /** " at line L, column C" from text holding Gson's "at line L column C", or "" without one. */
    private static String position(String gsonText) {
        Matcher at = POSITION.matcher(gsonText);
        return at.matches() ? " at line " + at.group(2) + ", column " + at.group(3) : "";
    }

    /** " at line L, column C: <reason>" from the innermost message Gson gives, in plain words. */
    static String describe(Throwable error) {
        Throwable innermost = error;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        if (innermost instanceof StackOverflowError) {
            return ": values are nested too deeply";
        }
        String message = innermost.getMessage();
        if (message == null || message.isBlank()) {
            return ": the text ends too early";
        }
        String line = message.lines().findFirst().orElse("").strip();
        Matcher at = POSITION.matcher(line);
        if (at.matches()) {
            return " at line " + at.group(2) + ", column " + at.group(3) + ": " + plainReason(at.group(1));
        }
        return ": " + plainReason(line);
    }

    private static String plainReason(String gsonReason) {
        String reason = gsonReason.strip();
        if (reason.startsWith("Use JsonReader.setStrictness")) {
            return "invalid JSON syntax"; // Gson's advice to parse leniently is no advice for a damaged file
        }
        if (reason.startsWith("End of input")) {
            return "the text ends too early";
        }
        if (reason.equals("Expected value")) {
            return "expected a value";
        }
        if (reason.isEmpty()) {
            return "invalid JSON syntax";
        }
        return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }
}
