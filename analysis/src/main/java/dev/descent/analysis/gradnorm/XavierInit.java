package dev.descent.analysis.gradnorm;

import dev.descent.autograd.Variable;
import dev.descent.nn.Embedding;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.MultiHeadAttention;
import dev.descent.nn.init.Init;
import dev.descent.tensor.Rng;
import java.util.Map;

/**
 * Redraws every parameter of a Transformer the way Xiong et al.'s analysis assumes ("Xavier initialisation",
 * N(0, 2/(n_in + n_out)), with Gaussian input embeddings), module by module:
 *
 * <ul>
 *   <li>{@link Linear} (attention {@code out_proj}, feed-forward {@code linear1} and {@code linear2}, the output
 *       head): weight [out, in] Xavier normal, N(0, 2/(in + out)); bias 0.</li>
 *   <li>{@link MultiHeadAttention}: {@code in_proj_weight} [3d, d], the stacked W^Q, W^K, W^V, Xavier normal as
 *       one tensor, so each of the three has variance 2/(d + 3d) = 1/(2d), as PyTorch's own
 *       {@code nn.MultiheadAttention} and fairseq's separate projections with gain 1/sqrt(2) give;
 *       {@code in_proj_bias} 0.</li>
 *   <li>{@link LayerNorm}: gain 1, shift 0.</li>
 *   <li>{@link Embedding}: N(0, 1) per coordinate (the analysis's Gaussian embeddings; fairseq's N(0, 1/d) table
 *       times its sqrt(d) embedding scale is the same distribution).</li>
 * </ul>
 *
 * Sinusoidal positional encodings have no parameters and stay as they are. The paper's theory further sets
 * W^Q = W^K = 0 and uses one head; the measurement here, like the paper's Figure 3, keeps the real attention.
 * Normal rather than uniform Xavier: the variance, the only thing the mean-field argument uses, is the same.
 */
public final class XavierInit {
    private XavierInit() {
    }

    /**
     * Redraws every parameter of {@code model} from {@code rng}, in the order of {@link Module#namedModules()}.
     *
     * @throws IllegalArgumentException if a module holding parameters is of a kind not listed above, so that no
     *                                  parameter silently keeps its default initialisation
     */
    public static void apply(Module model, Rng rng) {
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            Module m = e.getValue();
            if (m instanceof Linear linear) {
                Init.xavierNormal_(linear.weight().value(), 1, rng);
                zeroIfPresent(linear.bias());
            } else if (m instanceof MultiHeadAttention attention) {
                Init.xavierNormal_(attention.inProjWeight().value(), 1, rng);
                zeroIfPresent(attention.inProjBias());
            } else if (m instanceof LayerNorm) {
                for (Map.Entry<String, Variable> p : m.namedParameters().entrySet()) {
                    if (p.getKey().equals("weight")) {
                        Init.ones_(p.getValue().value());
                    } else {
                        Init.zeros_(p.getValue().value());
                    }
                }
            } else if (m instanceof Embedding embedding) {
                Init.normal_(embedding.weight().value(), 0, 1, rng);
            } else if (hasOwnParameters(m)) {
                throw new IllegalArgumentException("XavierInit.apply: module '" + e.getKey() + "' ("
                        + m.getClass().getSimpleName() + ") has parameters " + m.namedParameters().keySet()
                        + " and no rule for them");
            }
        }
    }

    private static void zeroIfPresent(Variable bias) {
        if (bias != null) {
            Init.zeros_(bias.value());
        }
    }

    private static boolean hasOwnParameters(Module m) {
        return m.namedParameters().keySet().stream().anyMatch(name -> !name.contains("."));
    }
}
