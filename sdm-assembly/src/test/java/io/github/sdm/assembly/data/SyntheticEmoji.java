package io.github.sdm.assembly.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A tiny emoji data folder in the layout of {@code scripts/fetch-emoji}: both styles, five emoji (one with two
 * skin-tone variations, one the twemoji set lacks), 64x64 RGBA PNGs of a coloured disc on transparency.
 */
public final class SyntheticEmoji {
    /** unified, name, category, colour; "1F34E" (red apple) is held out by the hash rule, the others are not. */
    static final String[][] EMOJI = {
        {"1F34E", "RED APPLE", "Food & Drink", "ff0000"},
        {"1F436", "DOG FACE", "Animals & Nature", "c08040"},
        {"1F600", "GRINNING FACE", "Smileys & Emotion", "ffd000"},
        {"1F385", "FATHER CHRISTMAS", "People & Body", "e02020"},
        {"1F30D", "EARTH GLOBE EUROPE-AFRICA", "Travel & Places", "2060ff"},
    };

    private SyntheticEmoji() {
    }

    /** Writes the folder under {@code root}; returns {@code root}. */
    public static Path write(Path root) throws IOException {
        for (EmojiStyle style : EmojiStyle.values()) {
            Path pkg = root.resolve(style.packageFolder());
            Path images = Files.createDirectories(pkg.resolve("img").resolve(style.setName()).resolve("64"));
            StringBuilder json = new StringBuilder("[\n");
            for (int i = 0; i < EMOJI.length; i++) {
                String[] e = EMOJI[i];
                String file = e[0].toLowerCase() + ".png";
                boolean has = !(style == EmojiStyle.TWEMOJI && e[0].equals("1F30D"));
                json.append(i == 0 ? "" : ",\n").append("{\"name\": \"").append(e[1]).append("\", \"unified\": \"")
                        .append(e[0]).append("\", \"image\": \"").append(file).append("\", \"category\": \"")
                        .append(e[2]).append("\", \"has_img_").append(style.setName()).append("\": ").append(has);
                if (e[0].equals("1F385")) {
                    json.append(", \"skin_variations\": {");
                    String[] tones = {"1F3FB", "1F3FF"};
                    for (int t = 0; t < tones.length; t++) {
                        String vFile = (e[0] + "-" + tones[t]).toLowerCase() + ".png";
                        json.append(t == 0 ? "" : ", ").append('"').append(tones[t]).append("\": {\"unified\": \"")
                                .append(e[0]).append('-').append(tones[t]).append("\", \"image\": \"").append(vFile)
                                .append("\", \"has_img_").append(style.setName()).append("\": true}");
                        disc(images.resolve(vFile), Integer.parseInt(e[3], 16) - 0x101010 * (t + 1), style);
                    }
                    json.append('}');
                }
                json.append('}');
                if (has) {
                    disc(images.resolve(file), Integer.parseInt(e[3], 16), style);
                }
            }
            Files.writeString(pkg.resolve("emoji.json"), json.append("\n]\n").toString());
        }
        return root;
    }

    /** A disc of {@code rgb} on a transparent 64x64 square; noto's disc is larger than twemoji's. */
    private static void disc(Path file, int rgb, EmojiStyle style) throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(rgb));
        int inset = style == EmojiStyle.NOTO ? 4 : 12;
        g.fillOval(inset, inset, 64 - 2 * inset, 64 - 2 * inset);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
