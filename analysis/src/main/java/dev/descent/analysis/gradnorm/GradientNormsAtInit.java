package dev.descent.analysis.gradnorm;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.NormPosition;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Xiong et al.'s Figure 3 measurement: the Frobenius norm of the gradient of the loss with respect to each
 * layer's second feed-forward matrix, ‖∂L/∂W^{2,l}‖_F, for Pre-LN and Post-LN Transformers at initialisation,
 * averaged over initialisation seeds and batches; and the last layer's norm against depth.
 *
 * <p>For each of the setup's seeds a fresh model is built and re-initialised by {@link XavierInit}; on each of
 * the study's batches ({@link StudyBatches}, drawn once, the same for every seed, depth and normalisation) the
 * mean token cross-entropy L is differentiated with {@link Autograd#grad} (no parameter's {@code .grad} is
 * touched) with respect to every W^{2,l}, and the norms are recorded: seeds × batches samples per layer,
 * summarised as a mean and a sample standard deviation ({@link StackNorms}). Initialisation seed k is the k-th
 * draw of {@code new Rng(setup.seed())} after the batches' generator has been split off, so a study is
 * reproducible from its setup alone, and the seeds are the same at every depth.
 *
 * <pre>{@code
 * GradientNormsAtInit study = new GradientNormsAtInit(GradNormSetup.builder(ModelKind.LM).build());
 * DepthSweep sweep = study.sweep(2, 4, 6, 8, 12);
 * double[] post = sweep.lastLayerMean(NormPosition.POST);   // about flat
 * double[] pre = sweep.lastLayerMean(NormPosition.PRE);     // falling, like 1/sqrt(1 + L/2)
 * }</pre>
 */
public final class GradientNormsAtInit {
    private final GradNormSetup setup;
    private final List<Batch> batches;
    private final long[] initSeeds;
    private Consumer<PerLayerNorms> progress = m -> { };

    /** A study of {@code setup}; draws its batches now. */
    public GradientNormsAtInit(GradNormSetup setup) {
        this.setup = Objects.requireNonNull(setup, "GradientNormsAtInit: setup");
        Rng master = new Rng(setup.seed());
        this.batches = StudyBatches.draw(setup, master.split());
        this.initSeeds = new long[setup.seeds()];
        for (int k = 0; k < initSeeds.length; k++) {
            initSeeds[k] = master.nextLong();
        }
    }

    /** The setup. */
    public GradNormSetup setup() {
        return setup;
    }

    /** The batches every measurement averages over. */
    public List<Batch> batches() {
        return batches;
    }

    /** The generator seed of initialisation {@code k} (0-based). */
    public long initSeed(int k) {
        return initSeeds[k];
    }

    /** Calls {@code listener} after each configuration is measured (for progress reports); returns this study. */
    public GradientNormsAtInit onMeasured(Consumer<PerLayerNorms> listener) {
        this.progress = Objects.requireNonNull(listener, "GradientNormsAtInit.onMeasured: listener");
        return this;
    }

    /** The per-layer norms of a model with {@code layers} layers (per stack) normalised at {@code norm}. */
    public PerLayerNorms measure(NormPosition norm, int layers) {
        Objects.requireNonNull(norm, "GradientNormsAtInit.measure: norm");
        if (layers < 1) {
            throw new IllegalArgumentException("GradientNormsAtInit.measure: layers must be positive, got " + layers);
        }
        int n = initSeeds.length * batches.size();
        List<String> names = null;
        double[][][] samples = null;
        double lossSum = 0;
        for (int k = 0; k < initSeeds.length; k++) {
            InitProbe probe = InitProbe.create(setup, norm, layers, new Rng(initSeeds[k]));
            Map<String, List<Variable>> stacks = probe.secondFeedForwardWeights();
            if (samples == null) {
                names = new ArrayList<>(stacks.keySet());
                samples = new double[names.size()][layers][n];
            }
            List<Variable> weights = stacks.values().stream().flatMap(List::stream).toList();
            for (int b = 0; b < batches.size(); b++) {
                Variable loss = probe.loss(batches.get(b));
                lossSum += loss.item();
                double[] norms = frobeniusNorms(loss, weights);
                for (int i = 0; i < norms.length; i++) {
                    samples[i / layers][i % layers][k * batches.size() + b] = norms[i];
                }
            }
        }
        List<StackNorms> result = new ArrayList<>();
        for (int s = 0; s < names.size(); s++) {
            result.add(StackNorms.of(names.get(s), samples[s]));
        }
        PerLayerNorms m = new PerLayerNorms(setup.model(), norm, layers, n, lossSum / n, result);
        progress.accept(m);
        return m;
    }

    /**
     * Pre-LN and Post-LN at each of {@code depths} (strictly increasing); the predictions are anchored at the
     * first depth.
     */
    public DepthSweep sweep(int... depths) {
        if (depths.length == 0) {
            throw new IllegalArgumentException("GradientNormsAtInit.sweep: no depths given");
        }
        for (int i = 0; i < depths.length; i++) {
            if (depths[i] < 1 || (i > 0 && depths[i] <= depths[i - 1])) {
                throw new IllegalArgumentException("GradientNormsAtInit.sweep: depths must be positive and strictly"
                        + " increasing, got " + java.util.Arrays.toString(depths));
            }
        }
        List<PerLayerNorms> pre = new ArrayList<>();
        List<PerLayerNorms> post = new ArrayList<>();
        for (int layers : depths) {
            pre.add(measure(NormPosition.PRE, layers));
            post.add(measure(NormPosition.POST, layers));
        }
        return new DepthSweep(setup.model(), depths.clone(), pre, post);
    }

    /**
     * The Frobenius norm of the gradient of the scalar {@code loss} with respect to each of {@code weights},
     * accumulated in double precision; the graph is released.
     */
    public static double[] frobeniusNorms(Variable loss, List<Variable> weights) {
        List<Variable> grads = Autograd.grad(loss, weights, false);
        double[] out = new double[grads.size()];
        for (int i = 0; i < out.length; i++) {
            double squares = 0;
            for (double g : grads.get(i).value().toDoubleArray()) {
                squares += g * g;
            }
            out[i] = Math.sqrt(squares);
        }
        return out;
    }
}
