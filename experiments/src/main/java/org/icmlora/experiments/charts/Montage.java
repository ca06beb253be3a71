package org.icmlora.experiments.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A grid of pictures with a label for every row and column, for the paper's detection figures. */
public final class Montage {

    private static final int LABEL_WIDTH = 140;
    private static final int LABEL_HEIGHT = 22;
    private static final int GAP = 4;

    private Montage() {}

    /** Lays out {@code cells[row][column]} (all the same size) under column labels, beside row labels. */
    public static BufferedImage grid(List<String> rowLabels, List<String> columnLabels, BufferedImage[][] cells) {
        int cellWidth = cells[0][0].getWidth();
        int cellHeight = cells[0][0].getHeight();
        int width = LABEL_WIDTH + columnLabels.size() * (cellWidth + GAP);
        int height = LABEL_HEIGHT + rowLabels.size() * (cellHeight + GAP);
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        for (int c = 0; c < columnLabels.size(); c++) {
            g.drawString(columnLabels.get(c), LABEL_WIDTH + c * (cellWidth + GAP) + 4, LABEL_HEIGHT - 6);
        }
        for (int r = 0; r < rowLabels.size(); r++) {
            int top = LABEL_HEIGHT + r * (cellHeight + GAP);
            g.drawString(rowLabels.get(r), 6, top + cellHeight / 2);
            for (int c = 0; c < columnLabels.size(); c++) {
                g.drawImage(cells[r][c], LABEL_WIDTH + c * (cellWidth + GAP), top, null);
            }
        }
        g.dispose();
        return canvas;
    }
}
