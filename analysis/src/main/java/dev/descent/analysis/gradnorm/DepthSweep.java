package dev.descent.analysis.gradnorm;

import dev.descent.nn.NormPosition;
import java.util.List;
import java.util.Objects;

/**
 * Figure 3 (c, d): the per-layer measurement at each depth, for Pre-LN and for Post-LN, and the last layer's
 * norm against depth beside the mean-field prediction, anchored at the shallowest depth.
 *
 * @param model  the model kind
 * @param depths the depths L, strictly increasing
 * @param pre    the Pre-LN measurement at each depth
 * @param post   the Post-LN measurement at each depth
 */
public record DepthSweep(ModelKind model, int[] depths, List<PerLayerNorms> pre, List<PerLayerNorms> post) {
    /** Checks that both lists follow {@code depths}. */
    public DepthSweep {
        Objects.requireNonNull(model, "DepthSweep: model");
        pre = List.copyOf(pre);
        post = List.copyOf(post);
        if (depths.length == 0 || pre.size() != depths.length || post.size() != depths.length) {
            throw new IllegalArgumentException("DepthSweep: " + depths.length + " depths, " + pre.size()
                    + " Pre-LN and " + post.size() + " Post-LN measurements; expected the same positive count");
        }
        for (int i = 0; i < depths.length; i++) {
            if (pre.get(i).layers() != depths[i] || post.get(i).layers() != depths[i]
                    || pre.get(i).norm() != NormPosition.PRE || post.get(i).norm() != NormPosition.POST) {
                throw new IllegalArgumentException("DepthSweep: measurement " + i + " is not Pre-LN and Post-LN at"
                        + " depth " + depths[i]);
            }
        }
    }

    /** The measurements of {@code norm}, one per depth. */
    public List<PerLayerNorms> measurements(NormPosition norm) {
        return norm == NormPosition.PRE ? pre : post;
    }

    /** The measurement of {@code norm} at depth {@code layers}. */
    public PerLayerNorms at(NormPosition norm, int layers) {
        for (PerLayerNorms m : measurements(norm)) {
            if (m.layers() == layers) {
                return m;
            }
        }
        throw new IllegalArgumentException("DepthSweep.at: depth " + layers + " was not swept (depths "
                + java.util.Arrays.toString(depths) + ")");
    }

    /** The mean norm of the output stack's last layer, W^{2,L}, at each depth. */
    public double[] lastLayerMean(NormPosition norm) {
        return measurements(norm).stream().mapToDouble(m -> m.output().lastMean()).toArray();
    }

    /** The standard deviation of the output stack's last-layer norm at each depth. */
    public double[] lastLayerStd(NormPosition norm) {
        return measurements(norm).stream().mapToDouble(m -> m.output().lastStd()).toArray();
    }

    /** The reference depth of the predictions: the shallowest one. */
    public int referenceDepth() {
        return depths[0];
    }

    /** The mean-field prediction at each depth, equal to the measurement at {@link #referenceDepth()}. */
    public double[] predicted(NormPosition norm) {
        return MeanFieldPrediction.lastLayer(norm, depths, referenceDepth(), lastLayerMean(norm)[0]);
    }
}
