package dev.descent.analysis.warmup;

import dev.descent.analysis.report.StudyFolder;
import dev.descent.tensor.Threads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link WarmupGrid} into a study folder, resumably and in parallel, then writes the report
 * ({@link StudyReport}): {@code results.csv}, {@code summary.csv}, {@code results.json} and the PNG plots.
 *
 * <p><b>Resuming.</b> Each finished cell is written to {@code runs/<cell-id>/} at once ({@link CellStore}); a
 * study started again in the same folder loads the finished cells instead of training them again and runs the
 * rest. A cell interrupted half-way starts again from step 0 (runs are short; there is no checkpoint inside a
 * run). A folder whose cells were run with other settings is refused. Adding values to an axis and running again
 * in the same folder runs only the new cells.
 *
 * <p><b>Parallelism.</b> Cells run on a fixed pool of {@code jobs} threads. During the study the tensor library's
 * own threads ({@link Threads}: OpenBLAS and the elementwise pool) are set to 1 and restored afterwards: the
 * models are small enough that the library would rarely split their work anyway, the cells keep every core busy
 * without oversubscription, and each cell does the same arithmetic whatever {@code jobs} is, so its numbers do
 * not depend on the schedule (a test reruns a cell of a two-job study on one job and gets byte-identical
 * tables). Because that thread setting is global, run one study at a time in a JVM.
 */
public final class WarmupStudy {
    /** Told about each cell as it is loaded or finished (from the pool's threads, one call at a time). */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param result the cell's result
         * @param reused whether it was loaded from the folder rather than trained now
         * @param done   cells done so far, this one included
         * @param total  cells in the grid
         */
        void cellDone(CellResult result, boolean reused, int done, int total);
    }

    private WarmupStudy() {
    }

    /**
     * Runs {@code grid} into {@code folder} on {@code jobs} threads and writes the report.
     *
     * @return every cell's result in grid order, and how many were trained now and how many reused
     */
    public static StudyResult run(WarmupGrid grid, Path folder, int jobs, @Nullable Listener listener) {
        if (jobs < 1 || grid == null || folder == null) {
            throw new IllegalArgumentException("WarmupStudy.run: need a grid, a folder and jobs >= 1, got jobs " + jobs);
        }
        Listener tell = listener == null ? (r, reused, done, total) -> { } : listener;
        StudyFolder root = new StudyFolder(folder);
        CellStore store = new CellStore(root.resolve("runs"));
        List<WarmupCell> cells = grid.cells();
        Object settings = grid.settings().describe();
        List<CellRun.Finished> finished = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < cells.size(); i++) {
            Optional<CellRun.Finished> loaded = store.load(cells.get(i), settings);
            finished.add(loaded.orElse(null));
            if (loaded.isPresent()) {
                tell.cellDone(loaded.get().result(), true, done.incrementAndGet(), cells.size());
            } else {
                pending.add(i);
            }
        }
        if (!pending.isEmpty()) {
            runPending(grid, cells, pending, finished, store, jobs, r -> {
                synchronized (tell) {
                    tell.cellDone(r, false, done.incrementAndGet(), cells.size());
                }
            });
        }
        StudyReport.write(root, grid, finished);
        return new StudyResult(folder, finished.stream().map(CellRun.Finished::result).toList(), pending.size(),
                cells.size() - pending.size());
    }

    private static void runPending(WarmupGrid grid, List<WarmupCell> cells, List<Integer> pending,
                                   List<CellRun.Finished> finished, CellStore store, int jobs,
                                   Consumer<CellResult> done) {
        TaskData data = TaskData.load(grid.settings());
        int threadsBefore = Threads.get();
        Threads.set(1);
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, pending.size()), r -> {
            Thread t = new Thread(r, "warmup-study-" + names.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CellRun.Finished>> futures = new ArrayList<>();
            for (int index : pending) {
                WarmupCell cell = cells.get(index);
                futures.add(pool.submit(() -> {
                    CellRun.Finished f = CellRun.run(cell, grid.settings(), data);
                    store.save(f);
                    done.accept(f.result());
                    return f;
                }));
            }
            for (int k = 0; k < pending.size(); k++) {
                finished.set(pending.get(k), await(futures.get(k), cells.get(pending.get(k))));
            }
        } finally {
            pool.shutdownNow();
            Threads.set(threadsBefore);
        }
    }

    private static CellRun.Finished await(Future<CellRun.Finished> future, WarmupCell cell) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("WarmupStudy: interrupted while waiting for cell " + cell.id(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("WarmupStudy: cell " + cell.id() + " failed: " + cause, cause);
        }
    }
}
