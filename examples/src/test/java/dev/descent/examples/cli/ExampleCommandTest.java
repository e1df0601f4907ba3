package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.examples.cli.CommandRunner.Result;
import org.junit.jupiter.api.Test;

/** {@code descent example}: the list, and arguments a program cannot use, which are usage errors, not crashes. */
class ExampleCommandTest {
    @Test
    void withoutANameItListsEveryProgramWithItsArguments() {
        Result r = CommandRunner.run("example");
        assertEquals(0, r.code(), r.err());
        assertEquals(ExampleCommand.PROGRAMS.size(), r.out().lines().count());
        assertTrue(r.out().contains("  gradinit-post-ln     GradInit for a Post-LN Transformer without warmup; args:"
                + " [steps [gradinit-iterations]]"), r.out());
    }

    @Test
    void anArgumentThatIsNotANumberIsAUsageError() {
        assertEquals("example mnist-mlp abc: expected a whole number, got \"abc\" (an MLP on MNIST with Adam; args:"
                + " [epochs])", CommandRunner.usageError("example", "mnist-mlp", "abc"));
        assertEquals("example gradinit-post-ln 10 x: expected a whole number, got \"x\" (GradInit for a Post-LN"
                + " Transformer without warmup; args: [steps [gradinit-iterations]])",
                CommandRunner.usageError("example", "gradinit-post-ln", "10", "x"));
    }

    @Test
    void anUnknownOptimizerIsAUsageErrorThatNamesIt() {
        String err = CommandRunner.usageError("example", "compare-optimizers", "Nope");
        assertTrue(err.startsWith("example compare-optimizers Nope: unknown optimizer 'Nope' (known: SGD, Adam,"), err);
    }

    @Test
    void anUnknownExampleIsAUsageError() {
        assertTrue(CommandRunner.usageError("example", "nope").startsWith("example: unknown example 'nope' (known:"
                + " mnist-mlp, "));
    }
}
