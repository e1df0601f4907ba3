package dev.descent.examples.cli;

import dev.descent.analysis.report.StudyFolder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run folder of an analysis command: its default name and the record of how the run was made. */
final class AnalysisRun {
    private AnalysisRun() {
    }

    /** {@code out}, or by default {@code runs/<time>-<command>-<model>}. */
    static StudyFolder folder(Path out, String command, String model) {
        return new StudyFolder(out != null ? out : defaultPath(command, model));
    }

    /** The default run folder, {@code runs/<time>-<part>-<part>...}, each part with only [A-Za-z0-9.-] kept. */
    static Path defaultPath(String... parts) {
        StringBuilder name = new StringBuilder(LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        for (String part : parts) {
            name.append('-').append(part.replaceAll("[^A-Za-z0-9.-]", "_"));
        }
        return Paths.get("runs", name.toString());
    }

    /** The command line as typed, arguments quoted where a shell needs it. */
    static String commandLine(String command, List<String> args) {
        StringBuilder cmd = new StringBuilder("descent ").append(command);
        int from = !args.isEmpty() && args.get(0).equals(command) ? 1 : 0;
        for (String a : args.subList(from, args.size())) {
            cmd.append(' ').append(a.matches("[A-Za-z0-9_./:=,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return cmd.toString();
    }

    /**
     * Writes the record of a run into {@code folder}: command.txt (the command as typed) and run.json (the
     * command, the versions, the seed, then {@code results}).
     */
    static void writeRecord(StudyFolder folder, String command, List<String> args, long seed,
            Map<String, Object> results) {
        folder.writeString("command.txt", commandLine(command, args) + "\n");
        Map<String, Object> doc = record(command, args, seed);
        doc.putAll(results);
        folder.writeJson("run.json", doc);
    }

    /** The versions and the command, to go first in a run's JSON. */
    static Map<String, Object> record(String command, List<String> args, long seed) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", commandLine(command, args));
        doc.put("descent", VersionProvider.projectVersion());
        doc.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        doc.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        doc.put("seed", seed);
        return doc;
    }
}
