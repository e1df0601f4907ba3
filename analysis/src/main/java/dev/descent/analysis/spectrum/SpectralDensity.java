package dev.descent.analysis.spectrum;

import dev.descent.analysis.report.LinePlot;
import dev.descent.analysis.report.StudyFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A smoothed spectral density on a uniform grid: {@code φ(t) = (1/n) Σ_runs Σ_k τ_k N(t; θ_k, σ²)}, the SLQ
 * quadrature rules of {@link SlqResult} convolved with a Gaussian kernel. {@code sigma} is the kernel's
 * <em>standard deviation</em>, in eigenvalue units. Multiply φ by the operator's size for eigenvalue counts.
 *
 * <p>PH and SD call their width {@code sigma_squared}, scale it by the spectral range and use it as the
 * Gaussian's variance; {@link #ghorbaniSigma(double, double)} converts that convention, and
 * {@link #pyHessian(SlqResult)} reproduces PH's whole recipe. The grid should be finer than σ (spacing
 * below σ), or the peaks are undersampled and the trapezoid integral drifts from 1.
 *
 * @param grid the evaluation points, ascending and evenly spaced
 * @param density φ at each grid point
 * @param sigma the kernel's standard deviation
 */
public record SpectralDensity(double[] grid, double[] density, double sigma) {
    /** The default number of grid points (PH, SD, HE1). */
    public static final int DEFAULT_POINTS = 10_000;
    /** The default padding of the grid beyond the extreme nodes, in kernel widths: keeps 1 − 6e-7 of the mass. */
    public static final double DEFAULT_PAD_SIGMAS = 5;
    /** PH's and SD's default {@code sigma_squared}. */
    public static final double GHORBANI_SIGMA_SQUARED = 1e-5;
    /** PH's grid overhead beyond the mean extreme nodes ({@code overhead}; SD's {@code grid_expand}). */
    public static final double PYHESSIAN_OVERHEAD = 0.01;
    /** The offset PH adds to the density before drawing it on a log axis. */
    public static final double LOG_PLOT_OFFSET = 1e-7;

    /**
     * Smooths {@code slq} with a Gaussian of standard deviation {@code sigma} on {@link #DEFAULT_POINTS}
     * points over {@code [min node − 5σ, max node + 5σ]}. Our padding differs from PH's (0.01) and HE1's
     * (10% of the range) so that the density integrates to 1 without renormalising.
     */
    public static SpectralDensity gaussian(SlqResult slq, double sigma) {
        double pad = DEFAULT_PAD_SIGMAS * sigma;
        return gaussian(slq, sigma, slq.minNode() - pad, slq.maxNode() + pad, DEFAULT_POINTS);
    }

    /**
     * Smooths {@code slq} with a Gaussian of standard deviation {@code sigma} on {@code points} evenly spaced
     * points from {@code low} to {@code high}.
     *
     * @throws IllegalArgumentException if {@code sigma} is not positive, {@code points < 2}, or
     *     {@code low >= high}
     */
    public static SpectralDensity gaussian(SlqResult slq, double sigma, double low, double high, int points) {
        if (!(sigma > 0) || points < 2 || !(low < high) || !Double.isFinite(high - low)) {
            throw new IllegalArgumentException("SpectralDensity.gaussian: need sigma > 0, points >= 2 and a finite "
                    + "low < high, got sigma " + sigma + ", " + points + " points, [" + low + ", " + high + "]");
        }
        double step = (high - low) / (points - 1);
        double[] grid = new double[points];
        for (int i = 0; i < points; i++) {
            grid[i] = low + i * step;
        }
        double[] density = new double[points];
        double norm = 1.0 / (Math.sqrt(2 * Math.PI) * sigma * slq.runs());
        // beyond 12σ a kernel's value is below 1e-31 of its peak: skip those points
        double reach = 12 * sigma;
        for (int r = 0; r < slq.runs(); r++) {
            double[] nodes = slq.nodes()[r];
            for (int k = 0; k < nodes.length; k++) {
                double scale = slq.weights()[r][k] * norm;
                int from = Math.max(0, (int) Math.ceil((nodes[k] - reach - low) / step));
                int to = Math.min(points - 1, (int) Math.floor((nodes[k] + reach - low) / step));
                for (int i = from; i <= to; i++) {
                    double z = (grid[i] - nodes[k]) / sigma;
                    density[i] += scale * Math.exp(-0.5 * z * z);
                }
            }
        }
        return new SpectralDensity(grid, density, sigma);
    }

    /**
     * The standard deviation of the Ghorbani et al. / PH kernel: {@code sigma_squared · max(1, range)} is used
     * as the variance, so this returns {@code sqrt(sigmaSquared · max(1, range))}.
     */
    public static double ghorbaniSigma(double sigmaSquared, double range) {
        if (!(sigmaSquared > 0) || !(range >= 0)) {
            throw new IllegalArgumentException("SpectralDensity.ghorbaniSigma: need sigmaSquared > 0 and range >= 0, got "
                    + sigmaSquared + " and " + range);
        }
        return Math.sqrt(sigmaSquared * Math.max(1, range));
    }

    /**
     * Smooths {@code slq} on the default grid with the Ghorbani et al. width: variance
     * {@code sigmaSquared · max(1, λmax − λmin)}, where λmin and λmax are the smallest and largest nodes of
     * all runs. SD and PH use {@code sigmaSquared = 1e-5} ({@link #GHORBANI_SIGMA_SQUARED}) and suggest
     * trying values up to 1e-1.
     */
    public static SpectralDensity ghorbani(SlqResult slq, double sigmaSquared) {
        return gaussian(slq, ghorbaniSigma(sigmaSquared, slq.maxNode() - slq.minNode()));
    }

    /**
     * PH's {@code density_generate}: grid of 10,000 points over the mean (over runs) smallest and largest
     * node, each extended by 0.01; variance {@code 1e-5 · max(1, grid range)}; then divided by its Riemann
     * sum so that it integrates to 1 on that grid.
     */
    public static SpectralDensity pyHessian(SlqResult slq) {
        double meanMin = 0;
        double meanMax = 0;
        for (double[] run : slq.nodes()) {
            meanMin += run[0] / slq.runs();
            meanMax += run[run.length - 1] / slq.runs();
        }
        double low = meanMin - PYHESSIAN_OVERHEAD;
        double high = meanMax + PYHESSIAN_OVERHEAD;
        SpectralDensity raw = gaussian(slq, ghorbaniSigma(GHORBANI_SIGMA_SQUARED, high - low), low, high, DEFAULT_POINTS);
        double riemann = 0;
        for (double d : raw.density) {
            riemann += d;
        }
        riemann *= raw.grid[1] - raw.grid[0];
        double[] normalised = raw.density.clone();
        Vectors.scale(1.0 / riemann, normalised);
        return new SpectralDensity(raw.grid, normalised, raw.sigma);
    }

    /** {@code ∫ φ} over the grid by the trapezoid rule; near 1 when the grid covers the mass and resolves σ. */
    public double integral() {
        double sum = 0;
        for (int i = 1; i < grid.length; i++) {
            sum += 0.5 * (density[i] + density[i - 1]) * (grid[i] - grid[i - 1]);
        }
        return sum;
    }

    /** A plot of the density on a log y axis, as PH draws it: {@code φ + 1e-7} against the eigenvalue. */
    public LinePlot plot(String title) {
        double[] shifted = new double[density.length];
        for (int i = 0; i < density.length; i++) {
            shifted[i] = density[i] + LOG_PLOT_OFFSET;
        }
        return new LinePlot(title, "eigenvalue", "density (log scale)").logY().line("density", grid, shifted);
    }

    /** Writes the density to a CSV file with columns {@code eigenvalue,density}. */
    public Path writeCsv(StudyFolder folder, String name) {
        List<List<Object>> rows = new ArrayList<>(grid.length);
        for (int i = 0; i < grid.length; i++) {
            rows.add(List.of(grid[i], density[i]));
        }
        return folder.writeCsv(name, List.of("eigenvalue", "density"), rows);
    }
}
