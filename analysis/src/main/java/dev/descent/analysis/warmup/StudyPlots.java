package dev.descent.analysis.warmup;

import dev.descent.analysis.report.LinePlot;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.nn.NormPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plots of a finished study:
 *
 * <ul>
 *   <li>{@code loss-<optimizer>-lr<peak>.png}, one per optimizer and peak learning rate: the training loss
 *       (moving average over the settings' window, mean over seeds) of every norm × warmup, up to the step
 *       before a divergence, with the target loss as a flat line;</li>
 *   <li>{@code grad-norm-step0.png}: ‖∂L/∂W^{2,l}‖_F, the gradient of each block's second feed-forward matrix
 *       ({@code linear2.weight}), at the initial weights against the block index l, per norm (and per stack
 *       for the encoder-decoder), mean over seeds: Xiong et al.'s Figure 3 (a, b) quantity;</li>
 *   <li>{@code final-loss.png}: the final loss against the warmup length, per norm and peak learning rate, mean
 *       over the seeds that did not diverge.</li>
 * </ul>
 */
final class StudyPlots {
    private static final Pattern SECOND_FFN = Pattern.compile("(?:(encoder|decoder)\\.)?layers\\.(\\d+)\\.linear2\\.weight$");

    private StudyPlots() {
    }

    static void write(StudyFolder folder, WarmupGrid grid, List<CellRun.Finished> runs) {
        for (String optimizer : grid.optimizers()) {
            for (double lr : grid.peakLrs()) {
                folder.writePlot("loss-" + optimizer.toLowerCase(Locale.ROOT) + "-lr" + WarmupCell.compact(lr) + ".png",
                        lossPlot(grid, runs, optimizer, lr));
            }
        }
        folder.writePlot("grad-norm-step0.png", gradientPlot(grid, runs));
        folder.writePlot("final-loss.png", finalLossPlot(grid, runs));
    }

    private static LinePlot lossPlot(WarmupGrid grid, List<CellRun.Finished> runs, String optimizer, double lr) {
        WarmupSettings s = grid.settings();
        LinePlot plot = new LinePlot(String.format(Locale.ROOT, "%s, %s, peak lr %s: training loss (mean of %d steps,"
                + " %d seed(s))", s.task().label(), optimizer, lr, s.window(), grid.seeds().size()), "step", "loss");
        for (NormPosition norm : grid.norms()) {
            for (long warmup : grid.warmups()) {
                List<CellRun.Finished> seeds = runs.stream().filter(f -> matches(f.result().cell(), optimizer, lr, norm,
                        warmup)).toList();
                int diverged = (int) seeds.stream().filter(f -> f.result().diverged()).count();
                double[] mean = seedMean(seeds, s.window());
                String label = label(norm) + ", warmup " + warmup
                        + (diverged > 0 ? " (" + diverged + "/" + seeds.size() + " diverged)" : "");
                plot.line(label, steps(mean.length), mean);
            }
        }
        double[] flat = {s.targetLoss(), s.targetLoss()};
        return plot.line("target " + s.targetLoss(), new double[] {0, s.steps() - 1}, flat);
    }

    /** The mean over seeds of each run's smoothed loss, up to the step before the first divergence of any seed. */
    private static double[] seedMean(List<CellRun.Finished> seeds, int window) {
        int length = Integer.MAX_VALUE;
        for (CellRun.Finished f : seeds) {
            length = Math.min(length, f.curve().steps() - (f.result().diverged() ? 1 : 0));
        }
        double[] mean = new double[Math.max(length, 0)];
        for (CellRun.Finished f : seeds) {
            double[] smooth = f.curve().smoothedLoss(window);
            for (int i = 0; i < mean.length; i++) {
                mean[i] += smooth[i] / seeds.size();
            }
        }
        return mean;
    }

    private static LinePlot gradientPlot(WarmupGrid grid, List<CellRun.Finished> runs) {
        LinePlot plot = new LinePlot(grid.settings().task().label() + ": gradient norm of each block's W2 at"
                + " initialisation (mean of " + grid.seeds().size() + " seed(s))", "block l (1 = nearest the input)",
                "||dL/dW2||_F");
        for (NormPosition norm : grid.norms()) {
            // every cell of one norm and seed has the same step-0 gradient: same weights, same first batch
            Map<String, TreeMap<Integer, Double>> byStack = new LinkedHashMap<>();
            for (long seed : grid.seeds()) {
                CellRun.Finished first = runs.stream().filter(f -> f.result().cell().norm() == norm
                        && f.result().cell().seed() == seed).findFirst().orElseThrow();
                GradientSnapshot g = first.result().gradients().get(0);
                for (Map.Entry<String, Double> e : g.perTensor().entrySet()) {
                    Matcher m = SECOND_FFN.matcher(e.getKey());
                    if (m.find()) {
                        String stack = m.group(1) == null ? "" : " " + m.group(1);
                        byStack.computeIfAbsent(stack, k -> new TreeMap<>()).merge(Integer.parseInt(m.group(2)) + 1,
                                e.getValue() / grid.seeds().size(), Double::sum);
                    }
                }
            }
            for (Map.Entry<String, TreeMap<Integer, Double>> stack : byStack.entrySet()) {
                double[] x = stack.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
                double[] y = stack.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
                plot.line(label(norm) + stack.getKey(), x, y);
            }
        }
        return plot;
    }

    private static LinePlot finalLossPlot(WarmupGrid grid, List<CellRun.Finished> runs) {
        WarmupSettings s = grid.settings();
        LinePlot plot = new LinePlot(s.task().label() + ": final loss (mean of the last " + s.window()
                + " steps, seeds that did not diverge)", "warmup steps", "final loss");
        for (String optimizer : grid.optimizers()) {
            for (double lr : grid.peakLrs()) {
                for (NormPosition norm : grid.norms()) {
                    List<double[]> points = new ArrayList<>();
                    for (long warmup : grid.warmups()) {
                        double[] lossSum = {0, 0};
                        runs.stream().filter(f -> matches(f.result().cell(), optimizer, lr, norm, warmup)
                                && !f.result().diverged()).forEach(f -> {
                                    lossSum[0] += f.result().finalLoss();
                                    lossSum[1]++;
                                });
                        if (lossSum[1] > 0) {
                            points.add(new double[] {warmup, lossSum[0] / lossSum[1]});
                        }
                    }
                    String name = label(norm) + ", lr " + lr + (grid.optimizers().size() > 1 ? ", " + optimizer : "");
                    plot.line(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                            points.stream().mapToDouble(p -> p[1]).toArray());
                }
            }
        }
        return plot;
    }

    private static boolean matches(WarmupCell c, String optimizer, double lr, NormPosition norm, long warmup) {
        return c.optimizer().equals(optimizer) && c.peakLr() == lr && c.norm() == norm && c.warmup() == warmup;
    }

    private static String label(NormPosition norm) {
        return norm == NormPosition.PRE ? "Pre-LN" : "Post-LN";
    }

    private static double[] steps(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }
}
