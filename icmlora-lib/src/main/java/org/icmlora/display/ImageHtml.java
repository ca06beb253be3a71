package org.icmlora.display;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Renders a {@link BufferedImage} as an HTML {@code <img>} holding the picture as an embedded PNG data URI. */
public final class ImageHtml {

    private ImageHtml() {}

    /** The image as a self-contained {@code <img>} element with its pixel width and height. */
    public static String of(BufferedImage image) {
        if (image == null) {
            throw new IllegalArgumentException("image must not be null");
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalArgumentException("image type " + image.getType() + " cannot be written as PNG");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding image as PNG failed", e);
        }
        return "<img width=\"" + image.getWidth() + "\" height=\"" + image.getHeight()
                + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()) + "\">";
    }
}
