package dev.descent.analysis.warmup;

import dev.descent.nn.NormPosition;
import dev.descent.optim.Optimizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A warmup study's grid: norm positions × peak learning rates × warmup lengths × optimizers × seeds, every cell
 * trained with the same {@link WarmupSettings}. Xiong et al.'s question is whether Post-LN needs the warmup
 * where Pre-LN does not; {@link #defaults} is a grid small enough for minutes on 2 cores that asks it.
 *
 * @param norms      Pre-LN and/or Post-LN
 * @param peakLrs    the learning rates each warmup ends at
 * @param warmups    warmup lengths in updates (0: none)
 * @param optimizers registry names ({@link Optimizers}); normalised to the registry's spelling
 * @param seeds      one run per seed for every other combination
 * @param settings   what every cell shares
 */
public record WarmupGrid(List<NormPosition> norms, List<Double> peakLrs, List<Long> warmups, List<String> optimizers,
                         List<Long> seeds, WarmupSettings settings) {
    /** Checks every axis (non-empty, no repeats, valid values) and resolves the optimizer names. */
    public WarmupGrid {
        if (norms == null || peakLrs == null || warmups == null || optimizers == null || seeds == null
                || settings == null) {
            throw new IllegalArgumentException("WarmupGrid: every axis and the settings must be given");
        }
        norms = distinct("norms", norms);
        peakLrs = distinct("peakLrs", peakLrs);
        warmups = distinct("warmups", warmups);
        seeds = distinct("seeds", seeds);
        List<String> resolved = new ArrayList<>();
        for (String name : optimizers) {
            resolved.add(Optimizers.get(name).name());
        }
        optimizers = distinct("optimizers", resolved);
        for (double lr : peakLrs) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("WarmupGrid: peak learning rates must be finite and > 0, got "
                        + peakLrs);
            }
        }
        if (warmups.stream().anyMatch(w -> w < 0)) {
            throw new IllegalArgumentException("WarmupGrid: warmup lengths must be >= 0, got " + warmups);
        }
        // a bad optimizer option fails here, naming the option, rather than in every cell on the pool's threads
        for (String optimizer : optimizers) {
            for (double lr : peakLrs) {
                Optimizers.get(optimizer).resolve(CellRun.optimizerOptions(
                        new WarmupCell(NormPosition.PRE, optimizer, lr, 0, 0), settings));
            }
        }
    }

    /**
     * The default study of {@code task}: Pre-LN and Post-LN, Adam (β = 0.9, 0.98), warmup 0 and 100 updates, seeds
     * 1 and 2, with {@link WarmupSettings#defaults}: 16 runs of 400 steps. The peak learning rates are one at which
     * both norm positions train without warmup and one at which, in our measurements, Post-LN without warmup stalls
     * at the unigram loss while Pre-LN trains: 3e-3 and 1e-2 for the LM, 1e-3 and 5e-3 for the encoder-decoder.
     */
    public static WarmupGrid defaults(WarmupTask task) {
        List<Double> lrs = task == WarmupTask.LM ? List.of(3e-3, 1e-2) : List.of(1e-3, 5e-3);
        return new WarmupGrid(List.of(NormPosition.PRE, NormPosition.POST), lrs, List.of(0L, 100L), List.of("Adam"),
                List.of(1L, 2L), WarmupSettings.defaults(task));
    }

    /** Every cell, in table order: optimizer, then peak lr, then norm, then warmup, then seed. */
    public List<WarmupCell> cells() {
        List<WarmupCell> out = new ArrayList<>();
        for (String optimizer : optimizers) {
            for (double lr : peakLrs) {
                for (NormPosition norm : norms) {
                    for (long warmup : warmups) {
                        for (long seed : seeds) {
                            out.add(new WarmupCell(norm, optimizer, lr, warmup, seed));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The axes as plain values, for the study's JSON. */
    public Map<String, Object> describeAxes() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("norms", norms.stream().map(n -> n == NormPosition.PRE ? "pre" : "post").toList());
        out.put("peak_lrs", peakLrs);
        out.put("warmups", warmups);
        out.put("optimizers", optimizers);
        out.put("seeds", seeds);
        return out;
    }

    private static <T> List<T> distinct(String axis, List<T> values) {
        if (values.isEmpty() || values.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("WarmupGrid: axis " + axis + " needs at least one value and no nulls, got "
                    + values);
        }
        LinkedHashSet<T> set = new LinkedHashSet<>(values);
        if (set.size() != values.size()) {
            throw new IllegalArgumentException("WarmupGrid: axis " + axis + " repeats a value: " + values);
        }
        return List.copyOf(set);
    }
}
