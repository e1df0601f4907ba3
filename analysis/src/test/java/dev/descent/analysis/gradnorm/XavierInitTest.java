package dev.descent.analysis.gradnorm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.NormPosition;
import dev.descent.nn.RMSNorm;
import dev.descent.tensor.Rng;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every parameter of both probes gets the distribution the Javadoc names, checked by its sample moments. */
class XavierInitTest {
    private static final int D = 64;
    private static final int FF = 128;

    private static double[] moments(Variable p) {
        double[] v = p.value().toDoubleArray();
        double sum = 0;
        double squares = 0;
        for (double x : v) {
            sum += x;
            squares += x * x;
        }
        return new double[] {sum / v.length, squares / v.length - (sum / v.length) * (sum / v.length)};
    }

    /** Sample variance within 12% of {@code variance} (thousands of draws), mean within 4 standard errors of 0. */
    private static void assertNormal(String name, Variable p, double variance) {
        double[] m = moments(p);
        long n = p.value().numel();
        assertTrue(Math.abs(m[1] / variance - 1) < 0.12, name + ": variance " + m[1] + ", expected " + variance);
        assertTrue(Math.abs(m[0]) < 4 * Math.sqrt(variance / n), name + ": mean " + m[0]);
    }

    private static void assertConstant(String name, Variable p, double value) {
        for (double x : p.value().toDoubleArray()) {
            assertEquals(value, x, 0.0, name);
        }
    }

    private static void checkAll(Module model, int vocabulary) {
        for (Map.Entry<String, Variable> e : model.namedParameters().entrySet()) {
            String name = e.getKey();
            Variable p = e.getValue();
            if (name.endsWith("in_proj_weight")) {
                assertNormal(name, p, 2.0 / (D + 3 * D));
            } else if (name.endsWith("linear1.weight")) {
                assertNormal(name, p, 2.0 / (D + FF));
            } else if (name.endsWith("linear2.weight")) {
                assertNormal(name, p, 2.0 / (FF + D));
            } else if (name.endsWith("out_proj.weight")) {
                assertNormal(name, p, 2.0 / (D + D));
            } else if (name.equals("head.weight")) {
                assertNormal(name, p, 2.0 / (D + vocabulary));
            } else if (name.contains("embedding")) {
                assertNormal(name, p, 1.0);
            } else if (name.matches(".*norm\\d?\\.weight")) {
                assertConstant(name, p, 1.0);
            } else if (name.endsWith("bias")) {
                assertConstant(name, p, 0.0);
            } else {
                throw new AssertionError("a parameter the test does not know: " + name);
            }
        }
    }

    @Test
    void theLanguageModelGetsXavierWeightsGaussianEmbeddingsAndZeroBiases() {
        GradNormSetup setup = GradNormSetup.builder(ModelKind.LM).dModel(D).heads(4).dimFeedforward(FF).build();
        InitProbe probe = InitProbe.create(setup, NormPosition.PRE, 2, new Rng(1));
        checkAll(probe.model(), StudyBatches.shakespeareVocabularySize());
        assertTrue(probe.model().namedParameters().containsKey("norm.weight"), "Pre-LN LM has a final LayerNorm");
    }

    @Test
    void theEncoderDecoderGetsTheSameRules() {
        GradNormSetup setup = GradNormSetup.builder(ModelKind.ENCODER_DECODER).dModel(D).heads(4).dimFeedforward(FF)
                .taskVocabulary(40).build();
        InitProbe probe = InitProbe.create(setup, NormPosition.POST, 2, new Rng(2));
        checkAll(probe.model(), 40);
        assertEquals(2, probe.secondFeedForwardWeights().get("encoder").size());
        assertEquals(2, probe.secondFeedForwardWeights().get("decoder").size());
    }

    @Test
    void differentSeedsDrawDifferentWeightsAndTheSameSeedTheSame() {
        GradNormSetup setup = GradNormSetup.builder(ModelKind.LM).dModel(16).heads(2).build();
        float[] a = InitProbe.create(setup, NormPosition.POST, 1, new Rng(5)).secondFeedForwardWeights()
                .get("blocks").get(0).value().toFloatArray();
        float[] b = InitProbe.create(setup, NormPosition.POST, 1, new Rng(5)).secondFeedForwardWeights()
                .get("blocks").get(0).value().toFloatArray();
        float[] c = InitProbe.create(setup, NormPosition.POST, 1, new Rng(6)).secondFeedForwardWeights()
                .get("blocks").get(0).value().toFloatArray();
        assertTrue(java.util.Arrays.equals(a, b));
        assertTrue(!java.util.Arrays.equals(a, c));
    }

    @Test
    void aModuleWithoutARuleIsRejected() {
        Module m = new Module() {
        };
        Module withRms = new Module() {
            {
                registerModule("extra", new RMSNorm(4));
            }
        };
        XavierInit.apply(m, new Rng(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> XavierInit.apply(withRms, new Rng(0)));
        assertTrue(e.getMessage().contains("XavierInit.apply") && e.getMessage().contains("RMSNorm"),
                e.getMessage());
    }
}
