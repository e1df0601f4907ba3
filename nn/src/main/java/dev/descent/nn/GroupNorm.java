package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.Tensor;

/**
 * Group normalisation of {@code [N, C, ...]}, as {@code torch.nn.GroupNorm}: the channels split into
 * {@code numGroups} groups, each normalised over its channels and spatial positions (biased variance), then a
 * per-channel affine map with weight ones and bias zeros; eps 1e-5 by default. Train and eval behave the same.
 */
public final class GroupNorm extends Layer {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    private final Variable weight;
    private final Variable bias;

    /** eps 1e-5, affine. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    /** Every option. */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups < 1 || numChannels < 1 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels " + numChannels
                    + " must be divisible by num_groups " + numGroups);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numChannels)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numChannels)) : null;
    }

    /** The normalised input, of its shape. */
    @Override
    public Variable forward(Variable input) {
        if (input.dim() < 2 || input.size(1) != numChannels) {
            throw new IllegalArgumentException("GroupNorm: expected [N, " + numChannels + ", ...], got shape "
                    + input.shape());
        }
        return F.groupNorm(input, numGroups, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + Repr.num(eps) + ", affine=" + Repr.flag(weight != null);
    }
}
