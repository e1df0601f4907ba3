package dev.descent.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyFolderTest {
    @TempDir
    Path dir;

    @Test
    void writesCsvWithQuotedFieldsAndFullPrecision() throws Exception {
        StudyFolder folder = new StudyFolder(dir.resolve("a/b"));
        folder.writeCsv("t.csv", List.of("name", "value"), List.of(List.of("x,y", 0.1 + 0.2), List.of("z", 3)));
        assertEquals("name,value\n\"x,y\",0.30000000000000004\nz,3\n", Files.readString(dir.resolve("a/b/t.csv")));
    }

    @Test
    void rejectsRowsOfTheWrongWidthAndKeepsTheOldFile() throws Exception {
        StudyFolder folder = new StudyFolder(dir);
        folder.writeCsv("t.csv", List.of("a"), List.of(List.of(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> folder.writeCsv("t.csv", List.of("a", "b"), List.of(List.of(1))));
        assertTrue(e.getMessage().contains("1 fields, the header 2"), e.getMessage());
        assertEquals("a\n1\n", Files.readString(dir.resolve("t.csv")));
    }

    @Test
    void writesJson() throws Exception {
        new StudyFolder(dir).writeJson("r.json", Map.of("eigenvalues", List.of(2.0, 1.0)));
        assertTrue(Files.readString(dir.resolve("r.json")).replaceAll("\\s", "").equals("{\"eigenvalues\":[2.0,1.0]}"));
    }

    @Test
    void rendersAPngOfTheStatedSize() throws Exception {
        Path png = new StudyFolder(dir).writePlot("p.png", new LinePlot("t", "x", "y").logY()
                .line("a", new double[] {1, 2, 3}, new double[] {1, 10, 100})
                .lineWithErrors("b", new double[] {1, 2, 3}, new double[] {2, 20, 200}, new double[] {1, 1, 1}));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temporary files left behind");
        }
    }
}
