package dev.descent.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Optimizers.Entry;
import dev.descent.optim.Optimizers.Hyperparameter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code descent optimizers}: every optimizer of the registry with its hyperparameters, defaults and reference. */
@Command(
        name = "optimizers",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "List every optimizer with its hyperparameters, defaults and reference.",
        description = "Hyperparameters are named and written as the reference implementation writes them"
                + " (torch.optim's keyword names for torch's classes, the official code's otherwise); these are the"
                + " names that `descent optimize --opt KEY=VALUE` accepts. A default of None is the reference's None;"
                + " 'required' means there is no default.",
        footer = {"", "Example: the table, then the same as JSON, then both into a folder:",
            "  descent optimizers", "  descent optimizers --json", "  descent optimizers --out runs/optimizers"})
final class OptimizersCommand implements Callable<Integer> {
    private static final ObjectWriter PRETTY = new ObjectMapper().writerWithDefaultPrettyPrinter();

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array, one object per optimizer: name, hyperparameters"
            + " (name, default, allowed), reference (paper, code, spec).")
    private boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write the listing to DIR: optimizers.txt,"
            + " optimizers.json, and the run record (command.txt, run.json).")
    private @Nullable Path outDir;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Recorded in run.json like every"
            + " command's seed; the listing itself draws no random numbers (default ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        String table = table();
        out.print(json ? PRETTY.writeValueAsString(rows()) + System.lineSeparator() : table);
        out.flush();
        if (outDir != null) {
            StudyFolder folder = new StudyFolder(outDir);
            folder.writeString("optimizers.txt", table);
            folder.writeJson("optimizers.json", rows());
            AnalysisRun.writeRecord(folder, "optimizers", spec.commandLine().getParseResult().originalArgs(), seed,
                    Map.of("optimizers", Optimizers.names().size()));
            if (!json) {
                out.println("wrote " + folder.root());
                out.flush();
            }
        }
        return 0;
    }

    /** The text listing: each optimizer's defaults, paper and code. */
    static String table() {
        StringBuilder out = new StringBuilder();
        int width = Optimizers.names().stream().mapToInt(String::length).max().orElse(0) + 2;
        String indent = " ".repeat(width);
        String nl = System.lineSeparator();
        for (Entry e : Optimizers.all()) {
            out.append(pad(e.name(), width)).append(e.format(e.defaults())).append(nl);
            out.append(indent).append("paper: ").append(e.reference().paper()).append(nl);
            out.append(indent).append("code:  ").append(e.reference().code())
                    .append("-".equals(e.reference().spec()) ? "" : " (" + e.reference().spec() + ")").append(nl);
        }
        return out.toString();
    }

    /** The JSON rows: one map per optimizer. */
    static List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Entry e : Optimizers.all()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", e.name());
            List<Map<String, Object>> hs = new ArrayList<>();
            for (Hyperparameter h : e.hyperparameters()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", h.name());
                m.put("default", h.json(e.defaults()));
                m.put("allowed", h.allowed());
                hs.add(m);
            }
            row.put("hyperparameters", hs);
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("paper", e.reference().paper());
            ref.put("code", e.reference().code());
            ref.put("spec", e.reference().spec());
            row.put("reference", ref);
            rows.add(row);
        }
        return rows;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(1, width - s.length()));
    }
}
