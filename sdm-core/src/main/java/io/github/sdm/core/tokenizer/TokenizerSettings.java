package io.github.sdm.core.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.files.JsonFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The special tokens and the sequence length of a Hugging Face tokenizer folder. As in transformers,
 * {@code special_tokens_map.json} overrides {@code tokenizer_config.json}; both are optional, and the
 * defaults are CLIP's (SD 1.x pads with {@code <|endoftext|>}, SD 2.x with {@code "!"}).
 */
public record TokenizerSettings(int maxLength, String bosToken, String eosToken, String padToken, String unkToken) {
    public static final String START_OF_TEXT = "<|startoftext|>";
    public static final String END_OF_TEXT = "<|endoftext|>";
    /** CLIP's context length; used when the config gives none or the "unlimited" placeholder. */
    public static final int CLIP_MAX_LENGTH = 77;
    private static final long UNSET_LENGTH_THRESHOLD = 1_000_000;

    public TokenizerSettings {
        if (maxLength < 2) {
            throw new SdmException("Tokenizer maxLength must leave room for the start and end tokens, got " + maxLength);
        }
        Objects.requireNonNull(bosToken, "bosToken");
        Objects.requireNonNull(eosToken, "eosToken");
        Objects.requireNonNull(padToken, "padToken");
        Objects.requireNonNull(unkToken, "unkToken");
    }

    public static TokenizerSettings clipDefaults() {
        return new TokenizerSettings(CLIP_MAX_LENGTH, START_OF_TEXT, END_OF_TEXT, END_OF_TEXT, END_OF_TEXT);
    }

    public static TokenizerSettings read(Path folder) {
        JsonObject config = readOptional(folder.resolve("tokenizer_config.json"));
        JsonObject specialTokens = readOptional(folder.resolve("special_tokens_map.json"));
        Path configFile = folder.resolve("tokenizer_config.json");
        int maxLength = CLIP_MAX_LENGTH;
        JsonElement length = config.get("model_max_length");
        if (length != null && !length.isJsonNull()) {
            double value;
            try {
                value = length.getAsDouble();
            } catch (RuntimeException e) {
                throw new ModelFormatException(configFile + ": model_max_length must be a number, found " + length);
            }
            if (value < 3 || value != Math.rint(value)) {
                throw new ModelFormatException(configFile + ": model_max_length " + length
                        + " is not a usable sequence length (an integer of at least 3)");
            }
            // transformers writes 1e30 when the length is unset
            maxLength = value >= UNSET_LENGTH_THRESHOLD ? CLIP_MAX_LENGTH : (int) value;
        }
        return new TokenizerSettings(maxLength,
                token(folder, "bos_token", specialTokens, config, START_OF_TEXT),
                token(folder, "eos_token", specialTokens, config, END_OF_TEXT),
                token(folder, "pad_token", specialTokens, config, END_OF_TEXT),
                token(folder, "unk_token", specialTokens, config, END_OF_TEXT));
    }

    private static String token(Path folder, String key, JsonObject specialTokens, JsonObject config, String fallback) {
        String fromMap = tokenText(folder.resolve("special_tokens_map.json"), key, specialTokens.get(key));
        if (fromMap != null) {
            return fromMap;
        }
        String fromConfig = tokenText(folder.resolve("tokenizer_config.json"), key, config.get(key));
        return fromConfig != null ? fromConfig : fallback;
    }

    /** A token is written either as a string or as an AddedToken object with a "content" field. */
    private static String tokenText(Path file, String key, JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return value.getAsString();
        }
        if (value.isJsonObject() && value.getAsJsonObject().has("content")) {
            return value.getAsJsonObject().get("content").getAsString();
        }
        throw new ModelFormatException(file + ": " + key + " must be a string or an object with \"content\", found "
                + value);
    }

    private static JsonObject readOptional(Path file) {
        if (!Files.exists(file)) {
            return new JsonObject();
        }
        JsonElement json = JsonFiles.read(file, "tokenizer settings");
        if (!json.isJsonObject()) {
            throw new ModelFormatException(file + ": expected a JSON object");
        }
        return json.getAsJsonObject();
    }
}
