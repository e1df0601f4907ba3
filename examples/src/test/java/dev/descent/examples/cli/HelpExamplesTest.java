package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The worked examples in the footers of every {@code descent} command's {@code --help}: there is one, it is printed
 * unbroken (picocli wraps long footer lines, and a wrapped command line no longer pastes into a shell), and it parses.
 */
class HelpExamplesTest {
    /** Every subcommand by name, and {@code descent} itself under the name "" (its examples start "descent "). */
    private static Map<String, CommandLine> commands() {
        CommandLine root = DescentCommand.commandLine();
        Map<String, CommandLine> all = new LinkedHashMap<>(root.getSubcommands());
        assertTrue(all.size() > 10, "the subcommands: " + all.keySet());
        all.put("", root);
        return all;
    }

    private static boolean isHelp(CommandLine cl) {
        return cl.getCommand() instanceof CommandLine.HelpCommand;
    }

    /** The footer's command lines, each with its continuation lines (ending in a backslash) joined to it. */
    private static List<List<String>> examples(CommandLine cl) {
        List<List<String>> found = new ArrayList<>();
        String[] footer = cl.getCommandSpec().usageMessage().footer();
        for (int i = 0; i < footer.length; i++) {
            if (footer[i].startsWith("  descent ")) {
                List<String> lines = new ArrayList<>(List.of(footer[i]));
                while (lines.get(lines.size() - 1).endsWith("\\") && i + 1 < footer.length) {
                    lines.add(footer[++i]);
                }
                found.add(lines);
            }
        }
        return found;
    }

    @Test
    void everyCommandShowsAWorkedExampleOfItself() {
        commands().forEach((name, cl) -> {
            if (isHelp(cl)) {
                return;
            }
            assertTrue(examples(cl).stream().anyMatch(lines -> lines.get(0).startsWith("  descent " + name)),
                    name + " --help has no example of itself in its footer: "
                            + Arrays.toString(cl.getCommandSpec().usageMessage().footer()));
        });
    }

    @Test
    void everySubcommandTakesOutSeedAndJson() {
        commands().forEach((name, cl) -> {
            if (isHelp(cl) || name.isEmpty()) {
                return;
            }
            for (String option : List.of("--out", "--seed", "--json")) {
                assertNotNull(cl.getCommandSpec().findOption(option), "descent " + name + " has no " + option);
            }
        });
    }

    @Test
    void exampleLinesArePrintedUnbroken() {
        commands().forEach((name, cl) -> {
            List<String> printed = cl.getUsageMessage().lines().toList();
            for (List<String> example : examples(cl)) {
                for (String line : example) {
                    assertTrue(printed.contains(line), name + " --help wraps the example line '" + line + "' (more than "
                            + cl.getUsageHelpWidth() + " characters?)");
                }
            }
        });
    }

    @Test
    void everyExampleParses() {
        commands().forEach((name, cl) -> {
            for (List<String> example : examples(cl)) {
                String joined = String.join(" ", example.stream()
                        .map(l -> l.endsWith("\\") ? l.substring(0, l.length() - 1) : l).toList()).trim();
                // split on spaces as a shell would: examples that quote arguments would need a real shell
                assertFalse(joined.contains("'") || joined.contains("\""), joined);
                List<String> words = List.of(joined.split("\\s+"));
                String[] args = words.subList(1, words.size()).toArray(String[]::new);
                assertDoesNotThrow(() -> DescentCommand.commandLine().parseArgs(args), name + ": " + joined);
            }
        });
    }

    @Test
    void aWrappedExampleWouldBeCaught() {
        // the checks above against a footer made to wrap, so that they are known to fail when they should
        CommandLine cl = DescentCommand.commandLine().getSubcommands().get("train");
        cl.getCommandSpec().usageMessage().footer("", "  descent train --model mlp:64-32-10 --data digits --optimizer"
                + " Adam --opt lr=1e-2 --steps 200");
        String line = examples(cl).get(0).get(0);
        assertFalse(cl.getUsageMessage().lines().toList().contains(line));
    }
}
