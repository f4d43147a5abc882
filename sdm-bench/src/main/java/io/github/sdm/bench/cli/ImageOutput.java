package io.github.sdm.bench.cli;

import io.github.sdm.core.error.InvalidRequestException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.image.PngFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * An image file {@code sdm generate} writes, its format chosen by the extension: {@code .png} (the settings in
 * a {@code parameters} text chunk, as AUTOMATIC1111 writes them) or {@code .jpg}/{@code .jpeg} (quality 95, the
 * settings in the JPEG comment segment, UTF-8). Any other name is refused before the model loads.
 */
record ImageOutput(Path path, Format format) {
    /** The JPEG metadata format that holds comment ({@code COM}) segments. */
    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";
    private static final float JPEG_QUALITY = 0.95f;

    enum Format { PNG, JPEG }

    /** The output for {@code path}, or an error naming the option when its extension is none of the formats. */
    static ImageOutput of(String option, Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return new ImageOutput(path, Format.PNG);
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return new ImageOutput(path, Format.JPEG);
        }
        throw new InvalidRequestException(option + ": " + path + " has no image extension sdm writes: end it in .png"
                + " (settings kept as PNG text) or .jpg/.jpeg (settings kept as a JPEG comment)");
    }

    /** The file of image {@code index} of a batch: {@code -N} before the extension. */
    ImageOutput numbered(int index) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return new ImageOutput(path.resolveSibling(name.substring(0, dot) + "-" + index + name.substring(dot)), format);
    }

    /** Writes {@code image} with {@code settings} embedded as the format allows. */
    void write(BufferedImage image, String settings) {
        if (format == Format.PNG) {
            PngFiles.write(image, path, Map.of("parameters", settings));
            return;
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (OutputStream file = Files.newOutputStream(path);
                ImageOutputStream out = ImageIO.createImageOutputStream(file)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(JPEG_METADATA);
            IIOMetadataNode comment = new IIOMetadataNode("com");
            comment.setUserObject(settings.getBytes(StandardCharsets.UTF_8));
            root.getElementsByTagName("markerSequence").item(0).appendChild(comment);
            metadata.setFromTree(JPEG_METADATA, root);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } catch (IOException e) {
            throw new SdmException("cannot write " + path + ": " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
    }
}
