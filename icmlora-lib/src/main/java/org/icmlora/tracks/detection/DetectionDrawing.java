package org.icmlora.tracks.detection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.icmlora.data.scenes.Box;
import org.icmlora.data.scenes.Scene;
import org.icmlora.eval.ScoredBox;
import org.icmlora.store.AtomicFiles;

/**
 * Pictures of detections, like the paper's Figures 4 and 5: the scene enlarged, ground-truth boxes in green, predicted
 * boxes in red with their score, and a caption.
 */
public final class DetectionDrawing {

    private static final Color TRUTH = new Color(40, 200, 70);
    private static final Color PREDICTION = new Color(230, 40, 40);

    private DetectionDrawing() {}

    /**
     * Draws {@code scene} enlarged {@code zoom} times with {@code truth} and the {@code predictions} scoring at least
     * {@code minScore}; {@code caption} (e.g. "sneaker, LoRA r=2") goes on a bar above the picture.
     */
    public static BufferedImage draw(Scene scene, List<Box> truth, List<ScoredBox> predictions, double minScore,
            String caption, int zoom) {
        if (zoom < 1) {
            throw new IllegalArgumentException("zoom must be >= 1, got " + zoom);
        }
        int side = scene.size() * zoom;
        int bar = 18;
        BufferedImage image = new BufferedImage(side, side + bar, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int v = Math.round(255 * Math.max(0, Math.min(1, scene.pixel(x / zoom, y / zoom))));
                image.setRGB(x, y + bar, (v << 16) | (v << 8) | v);
            }
        }
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.WHITE);
        g.drawString(caption, 3, 13);
        g.setStroke(new BasicStroke(2f));
        g.setColor(TRUTH);
        for (Box box : truth) {
            rectangle(g, box, zoom, bar);
        }
        g.setColor(PREDICTION);
        for (ScoredBox p : predictions) {
            if (p.score() >= minScore) {
                rectangle(g, p.box(), zoom, bar);
                g.drawString(String.format(Locale.ROOT, "%.2f", p.score()), (int) (p.box().x1() * zoom) + 2,
                        (int) (p.box().y1() * zoom) + bar + 11);
            }
        }
        g.dispose();
        return image;
    }

    /** Writes {@code image} as a PNG file (atomically). */
    public static void writePng(BufferedImage image, Path file) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new java.io.IOException("no PNG writer available for " + file);
            }
        });
    }

    private static void rectangle(Graphics2D g, Box box, int zoom, int bar) {
        g.drawRect((int) Math.round(box.x1() * zoom), (int) Math.round(box.y1() * zoom) + bar,
                (int) Math.round(box.width() * zoom), (int) Math.round(box.height() * zoom));
    }
}
