package dev.descent.analysis.gradnorm;

import dev.descent.analysis.report.LinePlot;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.nn.NormPosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of a gradient-norm study in a {@link StudyFolder}: {@code per_layer.csv} and {@code per_layer.png}
 * (the norm of every layer's W^{2,l}, mean with ± one standard deviation error bars, and the mean-field shape),
 * {@code depth.csv} and {@code depth.png} (the last layer's norm against depth for Pre-LN and Post-LN, with the
 * mean-field predictions), and {@code gradnorm.json} (everything, in the form {@link #json(PerLayerNorms)} and
 * {@link #json(DepthSweep)} give).
 */
public final class GradNormReport {
    /** The per-layer table's columns. */
    public static final List<String> PER_LAYER_HEADER = List.of("model", "norm", "layers", "stack", "layer", "mean",
            "std", "predicted");
    /** The depth table's columns; {@code predicted} is empty for a stack that does not feed the head. */
    public static final List<String> DEPTH_HEADER = List.of("model", "norm", "layers", "stack", "last_mean",
            "last_std", "predicted");

    private GradNormReport() {
    }

    /** Writes the per-layer and depth files and {@code gradnorm.json}, the per-layer ones at depth {@code layers}. */
    public static void write(StudyFolder folder, DepthSweep sweep, int layers) {
        List<PerLayerNorms> both = List.of(sweep.at(NormPosition.PRE, layers), sweep.at(NormPosition.POST, layers));
        writePerLayer(folder, both);
        writeDepth(folder, sweep);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("per_layer", both.stream().map(GradNormReport::json).toList());
        doc.put("depth_sweep", json(sweep));
        folder.writeJson("gradnorm.json", doc);
    }

    /** Writes {@code per_layer.csv} and {@code per_layer.png} for one or more measurements. */
    public static void writePerLayer(StudyFolder folder, List<PerLayerNorms> measurements) {
        List<List<Object>> rows = new ArrayList<>();
        PerLayerNorms first = measurements.get(0);
        LinePlot plot = new LinePlot("Gradient norm of W2 per layer at initialisation (" + first.model().cliName()
                + ", L = " + first.layers() + ")", "layer l", "||dL/dW2||_F");
        for (PerLayerNorms m : measurements) {
            double[] layerIndex = new double[m.layers()];
            for (int l = 0; l < layerIndex.length; l++) {
                layerIndex[l] = l + 1;
            }
            for (StackNorms s : m.stacks()) {
                double[] predicted = s == m.output() ? predictedPerLayer(m) : null;
                for (int l = 0; l < m.layers(); l++) {
                    rows.add(List.of(m.model().cliName(), label(m.norm()), m.layers(), s.stack(), l + 1, s.mean()[l],
                            s.std()[l], predicted == null ? "" : predicted[l]));
                }
                String name = label(m.norm()) + (m.stacks().size() > 1 ? " " + s.stack() : "");
                plot.lineWithErrors(name, layerIndex, s.mean(), s.std());
                if (predicted != null) {
                    plot.line(name + ", mean field", layerIndex, predicted);
                }
            }
        }
        folder.writeCsv("per_layer.csv", PER_LAYER_HEADER, rows);
        folder.writePlot("per_layer.png", plot);
    }

    /** Writes {@code depth.csv} and {@code depth.png}. */
    public static void writeDepth(StudyFolder folder, DepthSweep sweep) {
        List<List<Object>> rows = new ArrayList<>();
        double[] depths = Arrays.stream(sweep.depths()).asDoubleStream().toArray();
        LinePlot plot = new LinePlot("Last layer's W2 gradient norm against depth (" + sweep.model().cliName()
                + ", " + sweep.pre().get(0).output().stack() + ")", "layers L", "||dL/dW2,L||_F");
        for (NormPosition norm : List.of(NormPosition.POST, NormPosition.PRE)) {
            double[] predicted = sweep.predicted(norm);
            List<PerLayerNorms> ms = sweep.measurements(norm);
            for (int i = 0; i < ms.size(); i++) {
                for (StackNorms s : ms.get(i).stacks()) {
                    boolean output = s == ms.get(i).output();
                    rows.add(List.of(sweep.model().cliName(), label(norm), sweep.depths()[i], s.stack(), s.lastMean(),
                            s.lastStd(), output ? predicted[i] : ""));
                }
            }
            plot.lineWithErrors(label(norm) + ", measured", depths, sweep.lastLayerMean(norm),
                    sweep.lastLayerStd(norm));
            plot.line(label(norm) + ", mean field" + (norm == NormPosition.PRE ? " ~ 1/sqrt(1 + L/2)" : " (flat)"),
                    depths, predicted);
        }
        folder.writeCsv("depth.csv", DEPTH_HEADER, rows);
        folder.writePlot("depth.png", plot);
    }

    /**
     * One measurement as a JSON-ready map: {@code per_layer} and {@code std} of the stack that feeds the head,
     * {@code prediction} ({@code per_layer}: the mean-field shape anchored at the measured last layer;
     * {@code last_layer_vs_l2}: the predicted ratio of the last layer's norm at this depth to that at L = 2), and
     * {@code stacks}, every stack's {@code per_layer} and {@code std}.
     */
    public static Map<String, Object> json(PerLayerNorms m) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", m.model().cliName());
        doc.put("norm", m.norm().name().toLowerCase(Locale.ROOT));
        doc.put("layers", m.layers());
        doc.put("samples", m.samples());
        doc.put("mean_loss", m.meanLoss());
        doc.put("stack", m.output().stack());
        doc.put("per_layer", m.output().mean());
        doc.put("std", m.output().std());
        Map<String, Object> prediction = new LinkedHashMap<>();
        prediction.put("per_layer", predictedPerLayer(m));
        prediction.put("per_layer_rule", m.norm() == NormPosition.POST
                ? "last * (2/3)^((L - l)/2) (Xiong et al. 3.3, an upper-bound argument)"
                : "last, flat in l (Xiong et al. 3.3)");
        prediction.put("last_layer_vs_l2", MeanFieldPrediction.depthFactor(m.norm(), m.layers(), 2));
        prediction.put("last_layer_rule", m.norm() == NormPosition.POST ? "independent of L (Theorem 1)"
                : "sqrt((1 + 2/2) / (1 + L/2)) (Theorem 1 with Lemma 2)");
        doc.put("prediction", prediction);
        List<Map<String, Object>> stacks = new ArrayList<>();
        for (StackNorms s : m.stacks()) {
            stacks.add(Map.of("stack", s.stack(), "per_layer", s.mean(), "std", s.std()));
        }
        doc.put("stacks", stacks);
        return doc;
    }

    /**
     * A depth sweep as a JSON-ready map: {@code depths}, {@code reference_depth}, and per normalisation
     * ({@code pre}, {@code post}) the output stack's {@code last_layer}, {@code std} and {@code prediction}.
     */
    public static Map<String, Object> json(DepthSweep sweep) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", sweep.model().cliName());
        doc.put("stack", sweep.pre().get(0).output().stack());
        doc.put("depths", sweep.depths());
        doc.put("reference_depth", sweep.referenceDepth());
        for (NormPosition norm : List.of(NormPosition.PRE, NormPosition.POST)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("last_layer", sweep.lastLayerMean(norm));
            entry.put("std", sweep.lastLayerStd(norm));
            entry.put("prediction", sweep.predicted(norm));
            doc.put(norm.name().toLowerCase(Locale.ROOT), entry);
        }
        return doc;
    }

    private static double[] predictedPerLayer(PerLayerNorms m) {
        return MeanFieldPrediction.perLayer(m.norm(), m.layers(), m.output().lastMean());
    }

    private static String label(NormPosition norm) {
        return norm == NormPosition.PRE ? "Pre-LN" : "Post-LN";
    }
}
