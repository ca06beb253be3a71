package org.icmlora.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;

class ShowTest {

    private final List<String> shown = new ArrayList<>();

    @AfterEach
    void restoreKernelOutput() {
        Show.useOutput(NotebookOutput.kernel(), PlotlyHtml.fromConfiguredFile());
    }

    @Test
    void sendsTablesFiguresAndImagesToTheOutput() throws Exception {
        Show.useOutput(shown::add, new PlotlyHtml(() -> "/*plotly*/", "p"));
        Table t = Table.create("t", DoubleColumn.create("x", 1, 2), DoubleColumn.create("y", 2, 1));
        Show.show(t);
        Show.show(LinePlot.create("line", t, "x", "y"));
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(2, 1, 0x00FF8800);
        Show.show(image);

        assertEquals(3, shown.size());
        assertEquals(TableHtml.of(t), shown.get(0));
        assertTrue(shown.get(1).startsWith("<div id=\"p_1\"></div>"), shown.get(1));
        String img = shown.get(2);
        assertTrue(img.startsWith("<img width=\"3\" height=\"2\" src=\"data:image/png;base64,"), img);
        String base64 = img.substring(img.indexOf(",") + 1, img.lastIndexOf('"'));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        assertEquals(0xFF8800, back.getRGB(2, 1) & 0xFFFFFF);
    }

    @Test
    void outsideTheKernelSaysWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Show.showHtml("<p>x</p>"));
        assertTrue(e.getMessage().contains("Java kernel"), e.getMessage());
    }
}
