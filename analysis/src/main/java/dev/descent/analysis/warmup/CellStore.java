package dev.descent.analysis.warmup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.nn.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.StandardCopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The finished runs of a study on disk: {@code runs/<cell-id>/loss.csv} (step, lr, loss) and
 * {@code runs/<cell-id>/result.json} ({@link CellResult}), each written atomically, the JSON last. A cell counts as
 * finished when its JSON is there and its CSV holds the steps the JSON says it ran; anything less (a run killed
 * half-way leaves at most a CSV) is run again from the start: there is no checkpoint inside a run.
 */
final class CellStore {
    private static final String RESULT = "result.json";
    private static final String LOSS = "loss.csv";
    /** The trained weights of a cell, for later analysis ({@link TrainedCells}). */
    static final String MODEL = "model.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runs;

    CellStore(Path runs) {
        this.runs = runs;
    }

    /** Writes a finished run. */
    void save(CellRun.Finished run) {
        StudyFolder folder = new StudyFolder(runs.resolve(run.result().id()));
        LossCurve c = run.curve();
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < c.steps(); i++) {
            rows.add(List.of(i, c.lr()[i], c.loss()[i]));
        }
        folder.writeCsv(LOSS, List.of("step", "lr", "loss"), rows);
        if (run.model() != null) {
            Path tmp = folder.resolve("." + MODEL + ".tmp");
            try {
                SafeTensors.saveModel(tmp, run.model());
                Files.move(tmp, folder.resolve(MODEL), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("WarmupStudy: cannot write " + folder.resolve(MODEL), e);
            }
        }
        folder.writeJson(RESULT, run.result()); // last: a cell counts as finished once its result exists
    }

    /**
     * The finished run of {@code cell}, if there is one. Fails when the folder holds a run of this cell made with
     * other settings ({@code settings}, as {@link WarmupSettings#describe()}): mixing them would make the tables
     * compare unlike runs.
     */
    Optional<CellRun.Finished> load(WarmupCell cell, Object settings) {
        Path dir = runs.resolve(cell.id());
        Path json = dir.resolve(RESULT);
        if (!Files.isRegularFile(json)) {
            return Optional.empty();
        }
        try {
            JsonNode tree = JSON.readTree(json.toFile());
            JsonNode expected = JSON.readTree(JSON.writeValueAsString(settings));
            if (!expected.equals(tree.get("settings"))) {
                throw new IllegalArgumentException("WarmupStudy: " + json + " was run with settings "
                        + tree.get("settings") + ", this study has " + expected + "; use another study folder");
            }
            CellResult result = JSON.treeToValue(tree, CellResult.class);
            if (!result.cell().equals(cell)) {
                throw new IllegalArgumentException("WarmupStudy: " + json + " holds cell " + result.cell()
                        + ", expected " + cell);
            }
            LossCurve curve = readCurve(dir.resolve(LOSS));
            return curve != null && curve.steps() == result.stepsRun() ? Optional.of(new CellRun.Finished(result, curve, null))
                    : Optional.empty();
        } catch (IOException e) {
            // a file that does not parse was not finished by this code: run the cell again
            return Optional.empty();
        }
    }

    private static @Nullable LossCurve readCurve(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            return null;
        }
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.get(0).equals("step,lr,loss")) {
            return null;
        }
        int n = lines.size() - 1;
        double[] lr = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            try {
                if (f.length != 3 || Integer.parseInt(f[0]) != i) {
                    return null;
                }
                lr[i] = Double.parseDouble(f[1]);
                loss[i] = Double.parseDouble(f[2]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new LossCurve(lr, loss);
    }
}
