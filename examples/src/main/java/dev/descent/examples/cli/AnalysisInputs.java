package dev.descent.examples.cli;

import dev.descent.analysis.curvature.LossFunction;
import dev.descent.examples.cli.DataSpecs.Data;
import dev.descent.nn.Module;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.data.Batch;
import dev.descent.nn.functional.F;
import dev.descent.nn.io.SafeTensors;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the analysis commands ({@code descent hessian}, {@code rmed}, {@code batch-hessian}) share with
 * {@code descent train}: the data by name, the model by spec (initialised from the seed, then given the weights of a
 * {@code descent train --save} file), the dtype, and the mean cross-entropy that their Hessians are taken of. Bad
 * input is an {@link IllegalArgumentException} whose message the command shows.
 */
final class AnalysisInputs {
    private AnalysisInputs() {
    }

    /** The data {@code name}, as {@code descent train --data}. */
    static Data data(String name) {
        return DataSpecs.loadData(name);
    }

    /**
     * The model of {@code spec} for {@code d}, initialised from {@code seed}, with the safetensors {@code weights}
     * when given (strict: every name and shape must match), cast to {@code dtype}.
     */
    static Module model(String spec, Data d, long seed, Path weights, DType dtype) {
        Module net;
        try {
            net = ModelSpecs.buildModel(spec, d, new Rng(seed));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage());
        }
        if (weights != null) {
            if (!Files.isRegularFile(weights)) {
                throw new IllegalArgumentException("--weights: no file " + weights);
            }
            try {
                SafeTensors.loadModel(weights, net);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("--weights: " + e.getMessage() + " (the file must come from"
                        + " descent train --save with the same --model)");
            }
        }
        return net.to(dtype);
    }

    /** FLOAT32 or FLOAT64 from {@code float32} / {@code float64}. */
    static DType dtype(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "float32":
                return DType.FLOAT32;
            case "float64":
                return DType.FLOAT64;
            default:
                throw new IllegalArgumentException("--dtype: expected float32 or float64, got '" + text + "'");
        }
    }

    /**
     * The mean cross-entropy of the model on a batch of {@code d}: over examples for images and features, over
     * every predicted token for text (each window has the same length, so a batch's weight is still its size).
     */
    static LossFunction loss(Data d) {
        if (!d.language()) {
            return LossFunction.crossEntropy();
        }
        return (model, batch) -> {
            var logits = ((TransformerLM) model).forward(batch.inputs());
            return F.crossEntropy(logits.reshape(-1, logits.size(2)), batch.targets().reshape(-1));
        };
    }

    /** Examples {@code 0..n−1} of {@code d} in batches of at most {@code chunk}. */
    static List<Batch> chunks(Data d, int[] indices, int chunk) {
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < indices.length; from += chunk) {
            out.add(d.batches().apply(Arrays.copyOfRange(indices, from, Math.min(indices.length, from + chunk))));
        }
        return out;
    }

    /** {@code 0..n−1}. */
    static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** {@code n} distinct example indices of {@code d} drawn at random from {@code seed}, in draw order. */
    static int[] sample(Data d, int n, long seed) {
        if (n < 1 || n > d.size()) {
            throw new IllegalArgumentException("--batch: " + n + " examples asked, " + d.name() + " has " + d.size());
        }
        long[] perm = Tensor.randperm(new Rng(seed), d.size()).toLongArray();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) perm[i];
        }
        return out;
    }
}
