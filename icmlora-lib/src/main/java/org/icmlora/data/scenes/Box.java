package org.icmlora.data.scenes;

/**
 * An axis-aligned box in pixel coordinates: {@code x1,y1} the top-left corner, {@code x2,y2} the bottom-right one
 * (exclusive, so a box covering pixel columns 3..7 has x1 = 3, x2 = 8 and width 5, as COCO's x, y, w, h boxes do).
 */
public record Box(double x1, double y1, double x2, double y2) {

    public Box {
        if (!(x2 >= x1 && y2 >= y1) || !Double.isFinite(x1 + y1 + x2 + y2)) {
            throw new IllegalArgumentException("a box needs finite x1 <= x2 and y1 <= y2, got " + x1 + "," + y1 + ","
                    + x2 + "," + y2);
        }
    }

    /** Width in pixels. */
    public double width() {
        return x2 - x1;
    }

    /** Height in pixels. */
    public double height() {
        return y2 - y1;
    }

    /** Area in square pixels. */
    public double area() {
        return width() * height();
    }

    /** Horizontal centre. */
    public double centerX() {
        return (x1 + x2) / 2;
    }

    /** Vertical centre. */
    public double centerY() {
        return (y1 + y2) / 2;
    }

    /** Area of the overlap with {@code other} (0 when they do not overlap). */
    public double intersection(Box other) {
        double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /** Intersection over union, computed as COCO does (0 when the union is empty). */
    public double iou(Box other) {
        double inter = intersection(other);
        double union = area() + other.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
