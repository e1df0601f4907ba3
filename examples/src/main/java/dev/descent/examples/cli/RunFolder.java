package dev.descent.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The files of a run folder of {@code descent train} (and the record of other commands' runs): command.txt and run.json, the rows already in
 * metrics.csv when resuming, and the loss and accuracy plots.
 */
final class RunFolder {
    private RunFolder() {
    }

    /** Writes command.txt (appended to when resuming) and run.json for a run of {@code descent <command>}. */
    static void writeRecord(Path run, String command, List<String> args, boolean resumed, long seed,
            Map<String, Object> config, long total, long start) throws IOException {
        String cmd = AnalysisRun.commandLine(command, args);
        Files.writeString(run.resolve("command.txt"), cmd + "\n", StandardOpenOption.CREATE,
                resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        Map<String, Object> doc = AnalysisRun.record(command, args, seed);
        doc.put("steps", total);
        doc.put("resumed_from", start);
        doc.put("config", config);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(run.resolve("run.json").toFile(), doc);
    }

    /** Opens metrics.csv, appending when resuming, else anew with its header line. */
    static Writer openMetrics(Path csv, boolean append) throws IOException {
        Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, append
                ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND}
                : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE});
        if (!append) {
            w.write("step,epoch,loss,accuracy,lr\n");
        }
        return w;
    }

    /** The rows {step, loss, accuracy} of metrics.csv up to step {@code start}, for the plots of a resumed run. */
    static List<double[]> readRows(Path csv, long start) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                String[] f = line.split(",");
                if (Long.parseLong(f[0]) <= start) {
                    rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[2]),
                            Double.parseDouble(f[3])});
                }
            }
        }
        return rows;
    }

    static void plots(Path run, List<double[]> rows) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (rows.isEmpty()) {
            return;
        }
        double[] x = new double[rows.size()];
        double[] loss = new double[rows.size()];
        double[] acc = new double[rows.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rows.get(i)[0];
            loss[i] = rows.get(i)[1];
            acc[i] = rows.get(i)[2];
        }
        plot(run.resolve("loss.png"), "training loss", "loss", x, loss);
        plot(run.resolve("accuracy.png"), "training accuracy (batch)", "accuracy", x, acc);
    }

    private static void plot(Path file, String title, String y, double[] x, double[] values) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("step").yAxisTitle(y)
                .build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(0);
        chart.addSeries(y, x, values);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
