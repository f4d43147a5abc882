package io.github.sdm.assembly.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.sdm.core.error.SdmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The emoji pictures of the folder {@code scripts/fetch-emoji} fills: for each style present,
 * {@code <root>/emoji-datasource-<set>/emoji.json} and its {@code img/<set>/64/<image>} PNGs, skin-tone
 * variations included, split into the training pictures and the {@linkplain HeldOutSet held-out} ones.
 * Pictures are listed in a fixed order (style, then {@code emoji.json}'s order, each emoji before its
 * variations), so indices mean the same on every machine.
 */
public final class EmojiDataset {
    private final Path root;
    private final List<EmojiImage> training;
    private final List<EmojiImage> heldOut;

    private EmojiDataset(Path root, List<EmojiImage> training, List<EmojiImage> heldOut) {
        this.root = root;
        this.training = List.copyOf(training);
        this.heldOut = List.copyOf(heldOut);
    }

    /** Reads every style present under {@code root}; fails, naming the folder, when none is. */
    public static EmojiDataset load(Path root) {
        List<EmojiImage> training = new ArrayList<>();
        List<EmojiImage> heldOut = new ArrayList<>();
        int styles = 0;
        for (EmojiStyle style : EmojiStyle.values()) {
            Path folder = root.resolve(style.packageFolder());
            if (!Files.isDirectory(folder)) {
                continue;
            }
            styles++;
            for (EmojiImage image : read(folder, style)) {
                (HeldOutSet.isHeldOut(image.baseUnified()) ? heldOut : training).add(image);
            }
        }
        if (styles == 0) {
            throw new SdmException("emoji data folder " + root + " holds neither "
                    + EmojiStyle.TWEMOJI.packageFolder() + "/ nor " + EmojiStyle.NOTO.packageFolder()
                    + "/; run scripts/fetch-emoji first");
        }
        return new EmojiDataset(root, training, heldOut);
    }

    public Path root() {
        return root;
    }

    /** The pictures training sees. */
    public List<EmojiImage> training() {
        return training;
    }

    /** The pictures training never sees (both styles). */
    public List<EmojiImage> heldOut() {
        return heldOut;
    }

    /** The pixels of each picture of {@code images} at {@code size} (see {@link EmojiPixels}), in order. */
    public static List<byte[]> pixels(List<EmojiImage> images, int size) {
        List<byte[]> pixels = new ArrayList<>(images.size());
        for (EmojiImage image : images) {
            pixels.add(EmojiPixels.read(image.file(), size));
        }
        return pixels;
    }

    /**
     * The indices of {@code images} grouped by emoji and style: an emoji's skin-tone variations in one style
     * form one group, in order of first appearance (for {@link EpochOrder#perGroup}).
     */
    public static List<int[]> emojiGroups(List<EmojiImage> images) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            EmojiImage image = images.get(i);
            groups.computeIfAbsent(image.style() + " " + image.baseUnified(), k -> new ArrayList<>()).add(i);
        }
        return groups.values().stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    private static List<EmojiImage> read(Path folder, EmojiStyle style) {
        Path json = folder.resolve("emoji.json");
        JsonArray entries;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(json));
            if (!parsed.isJsonArray()) {
                throw new SdmException(json + ": expected a JSON array of emoji, got " + kind(parsed));
            }
            entries = parsed.getAsJsonArray();
        } catch (IOException e) {
            throw new SdmException("Cannot read " + json + ": " + e, e);
        } catch (JsonParseException e) {
            throw new SdmException(json + " is not valid JSON: " + e.getMessage(), e);
        }
        Path images = folder.resolve("img").resolve(style.setName()).resolve("64");
        String hasImage = "has_img_" + style.setName();
        List<EmojiImage> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonObject entry = entries.get(i).getAsJsonObject();
            String where = json + " entry " + i;
            if (!flag(entry, hasImage)) {
                continue;
            }
            String unified = text(entry, "unified", where);
            String name = text(entry, "name", where);
            String category = text(entry, "category", where).toLowerCase(Locale.ROOT);
            out.add(new EmojiImage(unified, unified, Captions.name(name, null), category, style,
                    image(images, text(entry, "image", where), where)));
            if (entry.has("skin_variations") && entry.get("skin_variations").isJsonObject()) {
                Map<String, JsonElement> variations = new TreeMap<>(entry.getAsJsonObject("skin_variations").asMap());
                for (Map.Entry<String, JsonElement> variation : variations.entrySet()) {
                    JsonObject v = variation.getValue().getAsJsonObject();
                    String vWhere = where + " skin_variations." + variation.getKey();
                    if (!flag(v, hasImage)) {
                        continue;
                    }
                    out.add(new EmojiImage(text(v, "unified", vWhere), unified,
                            Captions.name(name, variation.getKey()), category, style,
                            image(images, text(v, "image", vWhere), vWhere)));
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static Path image(Path folder, String file, String where) {
        Path path = folder.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new SdmException(where + ": image " + path + " is missing (re-run scripts/fetch-emoji)");
        }
        return path;
    }

    private static boolean flag(JsonObject entry, String key) {
        return entry.has(key) && entry.get(key).isJsonPrimitive() && entry.get(key).getAsBoolean();
    }

    private static String text(JsonObject entry, String key, String where) {
        JsonElement value = entry.get(key);
        if (value == null || !value.isJsonPrimitive() || value.getAsString().isBlank()) {
            throw new SdmException(where + ": '" + key + "' = " + value + ": expected a non-empty string");
        }
        return value.getAsString();
    }

    private static String kind(JsonElement e) {
        return e.isJsonObject() ? "an object" : e.isJsonNull() ? "null" : "a " + e.getClass().getSimpleName();
    }
}
