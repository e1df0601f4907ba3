package dev.descent.analysis.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.report.StudyFolder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectralDensityTest {
    @TempDir
    Path dir;

    /** Two runs: nodes {0, 1} weighted 1/4, 3/4 and a single node 2 of weight 1. */
    private static SlqResult handMade() {
        return new SlqResult(new double[][] {{0, 1}, {2, 2}}, new double[][] {{0.25, 0.75}, {0.5, 0.5}}, 10);
    }

    private static double normalPdf(double t, double mean, double sigma) {
        double z = (t - mean) / sigma;
        return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
    }

    @Test
    void isTheRunAverageOfWeightedGaussiansWithSigmaAsStandardDeviation() {
        double sigma = 0.2;
        SpectralDensity density = SpectralDensity.gaussian(handMade(), sigma, -1, 3, 401);
        assertEquals(0.01, density.grid()[1] - density.grid()[0], 1e-12);
        for (int i = 0; i < 401; i += 37) {
            double t = density.grid()[i];
            double expected = 0.5 * (0.25 * normalPdf(t, 0, sigma) + 0.75 * normalPdf(t, 1, sigma))
                    + 0.5 * normalPdf(t, 2, sigma);
            assertEquals(expected, density.density()[i], 1e-14, "at " + t);
        }
        assertEquals(1, density.integral(), 1e-6);
    }

    @Test
    void defaultGridPadsFiveSigmasOnTenThousandPoints() {
        SpectralDensity density = SpectralDensity.gaussian(handMade(), 0.1);
        assertEquals(10_000, density.grid().length);
        assertEquals(-0.5, density.grid()[0], 1e-12);
        assertEquals(2.5, density.grid()[9999], 1e-12);
        assertEquals(1, density.integral(), 1e-6);
    }

    @Test
    void ghorbaniWidthIsTheSquareRootOfTheRangeScaledVariance() {
        assertEquals(Math.sqrt(1e-5), SpectralDensity.ghorbaniSigma(1e-5, 0.5), 1e-18);
        assertEquals(Math.sqrt(1e-3), SpectralDensity.ghorbaniSigma(1e-5, 100), 1e-16);
        assertThrows(IllegalArgumentException.class, () -> SpectralDensity.ghorbaniSigma(0, 1));
    }

    @Test
    void ghorbaniFactoryScalesTheVarianceByTheNodeRange() {
        SlqResult wide = new SlqResult(new double[][] {{-10, 30}}, new double[][] {{0.5, 0.5}}, 2);
        SpectralDensity density = SpectralDensity.ghorbani(wide, 1e-4);
        assertEquals(Math.sqrt(1e-4 * 40), density.sigma(), 1e-15);
        assertEquals(-10 - 5 * density.sigma(), density.grid()[0], 1e-12);
        assertEquals(1, density.integral(), 1e-6);
        // a range below 1 leaves the variance at sigmaSquared itself
        SlqResult narrow = new SlqResult(new double[][] {{0.2, 0.7}}, new double[][] {{0.5, 0.5}}, 2);
        assertEquals(Math.sqrt(0.01), SpectralDensity.ghorbani(narrow, 0.01).sigma(), 1e-15);
    }

    @Test
    void pyHessianRecipeUsesMeanExtremesAndRenormalises() {
        SpectralDensity density = SpectralDensity.pyHessian(handMade());
        // mean smallest node (0 + 2)/2 = 1, mean largest (1 + 2)/2 = 1.5, each extended by 0.01
        assertEquals(0.99, density.grid()[0], 1e-12);
        assertEquals(1.51, density.grid()[9999], 1e-12);
        assertEquals(Math.sqrt(1e-5), density.sigma(), 1e-18);
        double riemann = 0;
        for (double d : density.density()) {
            riemann += d;
        }
        assertEquals(1, riemann * (density.grid()[1] - density.grid()[0]), 1e-12);
    }

    @Test
    void writesCsvFilesAndALogScalePlot() throws Exception {
        StudyFolder folder = new StudyFolder(dir);
        SlqResult slq = handMade();
        List<String> raw = Files.readAllLines(slq.writeCsv(folder, "slq.csv"));
        assertEquals(List.of("run,index,node,weight", "0,0,0.0,0.25", "0,1,1.0,0.75", "1,0,2.0,0.5", "1,1,2.0,0.5"), raw);
        SpectralDensity density = SpectralDensity.gaussian(slq, 0.1, -1, 3, 50);
        List<String> lines = Files.readAllLines(density.writeCsv(folder, "density.csv"));
        assertEquals(51, lines.size());
        assertEquals("eigenvalue,density", lines.get(0));
        BufferedImage png = ImageIO.read(folder.writePlot("density.png", density.plot("Hessian spectrum")).toFile());
        assertEquals(800, png.getWidth());
    }

    @Test
    void rejectsBadWidthsAndGrids() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpectralDensity.gaussian(handMade(), 0));
        assertTrue(e.getMessage().contains("sigma 0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpectralDensity.gaussian(handMade(), 0.1, 1, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> SpectralDensity.gaussian(handMade(), 0.1, 0, 1, 1));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new SlqResult(new double[][] {{1, 2}}, new double[][] {{1}}, 3));
        assertTrue(shape.getMessage().contains("run 0 has 2 nodes and 1 weights"), shape.getMessage());
    }
}
