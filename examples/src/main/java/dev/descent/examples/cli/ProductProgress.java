package dev.descent.examples.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on standard error counting Hessian-vector products (one per Lanczos step, trace probe or
 * diagonal probe), or nothing when quiet: what the analysis commands show while they work.
 */
final class ProductProgress implements AutoCloseable {
    private final ProgressBar bar;

    private ProductProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar named {@code task} out of {@code planned} steps, or a silent one when {@code quiet}. */
    static ProductProgress start(String task, long planned, boolean quiet, PrintStream err) {
        return new ProductProgress(quiet ? null : new ProgressBarBuilder().setTaskName(task).setInitialMax(planned)
                .setConsumer(new ConsoleProgressBarConsumer(err)).hideEta().build());
    }

    /** Advances by one, showing {@code phase}. */
    void step(String phase) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(phase);
        }
    }

    /** Moves the maximum, when a phase turns out shorter or longer than planned. */
    void resize(long planned) {
        if (bar != null) {
            bar.maxHint(planned);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
