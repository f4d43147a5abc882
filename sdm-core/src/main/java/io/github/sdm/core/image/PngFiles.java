package io.github.sdm.core.image;

import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.files.RegularFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/**
 * PNG files with text chunks. Generation settings go under the keyword {@code "parameters"}, where
 * AUTOMATIC1111's web UI and the tools that read its images look for them. As Pillow does, text that
 * Latin-1 can hold is written as {@code tEXt}, anything else as uncompressed UTF-8 {@code iTXt}.
 */
public final class PngFiles {
    /**
     * The text keyword under which generation settings are stored, as AUTOMATIC1111 stores them.
     */
    public static final String PARAMETERS = "parameters";
    private static final String PNG_FORMAT = "javax_imageio_png_1.0";

    private PngFiles() {
    }

    /**
     * Writes {@code image} as PNG with {@code parameters} under the keyword {@value #PARAMETERS}.
     *
     * @param image the image
     * @param path the file, created or replaced
     * @param parameters the generation settings, or null for no text chunk
     * @throws SdmException if the file cannot be written (the message names it)
     */
    public static void write(BufferedImage image, Path path, String parameters) {
        write(image, path, parameters == null ? Map.of() : Map.of(PARAMETERS, parameters));
    }

    /**
     * Writes {@code image} as PNG with one text chunk per entry of {@code text}, in its iteration order.
     *
     * @param image the image
     * @param path the file, created or replaced
     * @param text keyword to text; keywords are 1 to 79 printable Latin-1 characters without leading, trailing or
     *     double spaces, texts are not null
     * @throws SdmException if a keyword or text is invalid, or the file cannot be written (the message names it)
     */
    public static void write(BufferedImage image, Path path, Map<String, String> text) {
        text.forEach((keyword, value) -> checkKeyword(path, keyword, value));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (OutputStream file = Files.newOutputStream(path);
                ImageOutputStream out = new MemoryCacheImageOutputStream(file)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            if (!text.isEmpty()) {
                metadata.mergeTree(PNG_FORMAT, textTree(text));
            }
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } catch (IOException e) {
            throw new SdmException("Cannot write PNG " + path + ": " + e, e);
        } finally {
            writer.dispose();
        }
    }

    /**
     * The text chunks ({@code tEXt}, {@code zTXt}, {@code iTXt}) of a PNG file, by keyword.
     *
     * @param path the PNG file
     * @return keyword to text, in file order; empty if it has none
     * @throws SdmException if the file is missing, not a regular file, not a PNG, or cannot be read (the message
     *     names it)
     */
    public static Map<String, String> readText(Path path) {
        RegularFiles.check(path, SdmException::new);
        try (InputStream file = Files.newInputStream(path);
                ImageInputStream in = new MemoryCacheImageInputStream(file)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new SdmException(path + " is not an image file ImageIO can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                if (!reader.getFormatName().equalsIgnoreCase("png")) {
                    throw new SdmException(path + " is a " + reader.getFormatName() + " image, not a PNG");
                }
                Node root = reader.getImageMetadata(0).getAsTree(PNG_FORMAT);
                Map<String, String> text = new LinkedHashMap<>();
                for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                    for (Node entry = chunk.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                        switch (entry.getNodeName()) {
                            case "tEXtEntry", "zTXtEntry" -> text.put(attribute(entry, "keyword"), attribute(entry, "value"));
                            case "iTXtEntry" -> text.put(attribute(entry, "keyword"), attribute(entry, "text"));
                            default -> {
                            }
                        }
                    }
                }
                return text;
            } finally {
                reader.dispose();
            }
        } catch (NoSuchFileException e) {
            throw new SdmException("Image file not found: " + path);
        } catch (IOException e) {
            throw new SdmException("Cannot read PNG " + path + ": " + e, e);
        }
    }

    /**
     * Reads any image ImageIO knows (PNG, JPEG, BMP, GIF); errors name the file, and a file whose image data
     * cannot be decoded is reported as damaged or truncated.
     *
     * @param path the image file
     * @return the image as ImageIO decodes it (convert with {@link ImageTensors#toUnitRange})
     * @throws SdmException if the file is missing, not a regular file (a FIFO, a device, a folder), not an image
     *     ImageIO can read, or damaged or truncated (the message names it)
     */
    public static BufferedImage read(Path path) {
        RegularFiles.check(path, SdmException::new);
        InputStream in;
        try {
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new SdmException("Image file not found: " + path);
        } catch (IOException e) {
            throw new SdmException("Cannot open image " + path + ": " + e, e);
        }
        try (in) {
            BufferedImage image = ImageIO.read(in);
            if (image == null) {
                throw new SdmException(path + " is not an image file ImageIO can read");
            }
            return image;
        } catch (IOException e) {
            throw new SdmException(path + " is damaged or truncated: its image data cannot be decoded ("
                    + e.getMessage() + ")", e);
        }
    }

    private static IIOMetadataNode textTree(Map<String, String> text) {
        IIOMetadataNode root = new IIOMetadataNode(PNG_FORMAT);
        IIOMetadataNode latin1 = new IIOMetadataNode("tEXt");
        IIOMetadataNode international = new IIOMetadataNode("iTXt");
        text.forEach((keyword, value) -> {
            if (StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
                IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
                entry.setAttribute("keyword", keyword);
                entry.setAttribute("value", value);
                latin1.appendChild(entry);
            } else {
                IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                entry.setAttribute("keyword", keyword);
                entry.setAttribute("compressionFlag", "FALSE");
                entry.setAttribute("compressionMethod", "0");
                entry.setAttribute("languageTag", "");
                entry.setAttribute("translatedKeyword", "");
                entry.setAttribute("text", value);
                international.appendChild(entry);
            }
        });
        if (latin1.hasChildNodes()) {
            root.appendChild(latin1);
        }
        if (international.hasChildNodes()) {
            root.appendChild(international);
        }
        return root;
    }

    /** PNG keywords: 1 to 79 printable Latin-1 characters, no leading, trailing or double spaces. */
    private static void checkKeyword(Path path, String keyword, String value) {
        boolean valid = keyword != null && !keyword.isEmpty() && keyword.length() <= 79 && !keyword.startsWith(" ")
                && !keyword.endsWith(" ") && !keyword.contains("  ")
                && keyword.chars().allMatch(c -> (c >= 32 && c <= 126) || (c >= 161 && c <= 255));
        if (!valid) {
            throw new SdmException(path + ": '" + keyword + "' is not a valid PNG text keyword"
                    + " (1 to 79 printable Latin-1 characters, no leading, trailing or double spaces)");
        }
        if (value == null) {
            throw new SdmException(path + ": text for keyword '" + keyword + "' is null");
        }
    }

    private static String attribute(Node node, String name) {
        Node attribute = node.getAttributes().getNamedItem(name);
        return attribute == null ? "" : attribute.getNodeValue();
    }
}
