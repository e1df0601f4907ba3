package dev.descent.analysis.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.nn.Layer;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Selections of parameters, their flat layout, and the errors for selections that cannot be made. */
class ParameterBlockTest {
    private final Sequential model = CurvatureFixtures.mlp(3, 4, 2, false, 50);

    @Test
    void allParametersInTheModelsOrderWithTheirOffsets() {
        ParameterBlock all = ParameterBlock.all(model);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), all.names());
        assertEquals(4, all.count());
        assertEquals(26, all.size());
        int[] offsets = new int[5];
        for (int i = 0; i <= 4; i++) {
            offsets[i] = all.offset(i);
        }
        assertArrayEquals(new int[] {0, 12, 16, 24, 26}, offsets);
        assertSame(model.namedParameters().get("2.weight"), all.parameters().get(2));
        assertEquals(DType.FLOAT64, all.dtype());
    }

    @Test
    void selectsByRegexPrefixOrExplicitNames() {
        assertEquals(List.of("0.weight", "2.weight"), ParameterBlock.matching(model, "weight$").names());
        assertEquals(List.of("2.weight", "2.bias"), ParameterBlock.under(model, "2").names());
        assertEquals(List.of("2.weight", "2.bias"), ParameterBlock.under(model, "2.").names());
        assertEquals(List.of("0.weight"), ParameterBlock.under(model, "0.weight").names());
        assertEquals(List.of("2.bias", "0.weight"), ParameterBlock.named(model, List.of("2.bias", "0.weight")).names());
        assertEquals(List.of("0.bias", "2.bias"), ParameterBlock.where(model, n -> n.endsWith("bias"), "biases").names());
        // a prefix is a whole path segment: "1" is not "10"
        List<Layer> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(new Linear(1, 1, new Rng(i)));
        }
        assertEquals(List.of("1.weight", "1.bias"), ParameterBlock.under(new Sequential(eleven), "1").names());
    }

    @Test
    void tiedParametersAppearOnce() {
        Linear shared = new Linear(2, 2, new Rng(51));
        Sequential tied = new Sequential(shared, new Tanh(), shared);
        assertEquals(4, tied.namedParameters().size());
        ParameterBlock block = ParameterBlock.all(tied);
        assertEquals(List.of("0.weight", "0.bias"), block.names());
        assertEquals(6, block.size());
    }

    @Test
    void flattensAndUnflattensInEachParametersShapeAndDtype() {
        Sequential f32 = new Sequential(new Linear(2, 3, new Rng(52)));
        ParameterBlock block = ParameterBlock.all(f32);
        double[] values = block.values();
        assertArrayEquals(concat(f32.parameters().get(0).value().toDoubleArray(),
                f32.parameters().get(1).value().toDoubleArray()), values, 0.0);
        List<Tensor> tensors = block.unflatten(values);
        assertEquals(DType.FLOAT32, tensors.get(0).dtype());
        assertEquals(f32.parameters().get(0).shape(), tensors.get(0).shape());
        assertArrayEquals(values, block.flatten(tensors), 0.0);
        double[] ramp = new double[block.size()];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i;
        }
        assertArrayEquals(new double[] {6, 7, 8}, block.unflatten(ramp).get(1).toDoubleArray(), 0.0);
    }

    @Test
    void explainsSelectionsThatCannotBeMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterBlock.under(model, "1"));
        assertEquals("ParameterBlock: prefix '1' matches none of the model's 4 parameters: 0.weight, 0.bias,"
                + " 2.weight, 2.bias", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParameterBlock.matching(model, "^attn"));
        assertEquals("ParameterBlock: regex '^attn' matches none of the model's 4 parameters: 0.weight, 0.bias,"
                + " 2.weight, 2.bias", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParameterBlock.named(model, List.of("0.weights")));
        assertEquals("ParameterBlock.named: the model has no parameter '0.weights' (it has 4 parameters: 0.weight,"
                + " 0.bias, 2.weight, 2.bias)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParameterBlock.named(model, List.of("0.bias", "0.bias")));
        ParameterBlock all = ParameterBlock.all(model);
        e = assertThrows(IllegalArgumentException.class, () -> all.flatten(List.of(Tensor.zeros(12))));
        assertEquals("ParameterBlock.flatten: 1 tensors for a block of 4 parameters [0.weight, 0.bias, 2.weight,"
                + " 2.bias]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> all.unflatten(new double[25]));

        Linear a = new Linear(2, 2, new Rng(53));
        a.to(DType.FLOAT64);
        Sequential mixed = new Sequential(a, new Linear(2, 2, new Rng(54)));
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> ParameterBlock.all(mixed).dtype());
        assertEquals("ParameterBlock: parameters of mixed dtypes: 0.weight is FLOAT64, 1.weight is FLOAT32; move the"
                + " model to one dtype with Module.to", s.getMessage());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
