package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.optim.eightbit.BlockwiseQuantization;
import dev.descent.optim.eightbit.BlockwiseQuantization.Quantized;
import dev.descent.optim.eightbit.DynamicMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Block-wise absmax quantization with the dynamic map (spec/optimizers.md §13.2). */
class EightBitQuantizationTest {
    @Test
    void codesAndAbsmaxMatchThePythonReference() {
        Map<String, String[]> f = EightBitFixture.load("quantize.txt");
        float[] x = EightBitFixture.floats(f.get("x"));
        float[] abs = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            abs[i] = Math.abs(x[i]);
        }
        check(f, "signed256", BlockwiseQuantization.quantize(x, DynamicMap.signed(), true, 256));
        check(f, "unsigned256", BlockwiseQuantization.quantize(abs, DynamicMap.unsigned(), false, 256));
        check(f, "signed2048", BlockwiseQuantization.quantize(x, DynamicMap.signed(), true, 2048));
    }

    private static void check(Map<String, String[]> f, String variant, Quantized q) {
        assertArrayEquals(EightBitFixture.floats(f.get(variant + " absmax")), q.absmax(), variant);
        int[] expected = EightBitFixture.ints(f.get(variant + " codes"));
        int[] actual = new int[q.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = q.codes()[i] & 0xFF;
        }
        assertArrayEquals(expected, actual, variant);
    }

    @Test
    void roundTripErrorIsBoundedPerBlock() {
        for (int bs : new int[] {256, 2048}) {
            for (boolean signed : new boolean[] {true, false}) {
                float[] code = signed ? DynamicMap.signed() : DynamicMap.unsigned();
                float[] x = EightBitFixture.lcg(99 + bs, 5000, i -> (i / 300) % 9);
                if (!signed) {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = Math.abs(x[i]);
                    }
                }
                Quantized q = BlockwiseQuantization.quantize(x, code, signed, bs);
                assertEquals(BlockwiseQuantization.blocks(5000, bs), q.absmax().length);
                float[] y = BlockwiseQuantization.dequantize(q, code);
                double maxGap = 0;
                for (int k = 1; k < 256; k++) {
                    maxGap = Math.max(maxGap, code[k] - code[k - 1]);
                }
                for (int b = 0; b < q.absmax().length; b++) {
                    float absmax = 0;
                    for (int i = b * bs; i < Math.min(x.length, (b + 1) * bs); i++) {
                        absmax = Math.max(absmax, Math.abs(x[i]));
                    }
                    assertEquals(absmax, q.absmax()[b], "absmax of block " + b);
                    for (int i = b * bs; i < Math.min(x.length, (b + 1) * bs); i++) {
                        double scaled = x[i] / absmax;
                        double err = Math.abs(scaled - code[q.codes()[i] & 0xFF]);
                        // the chosen code is a nearest one (up to float rounding of the midpoint)
                        double best = Double.MAX_VALUE;
                        for (float c : code) {
                            best = Math.min(best, Math.abs(scaled - c));
                        }
                        assertTrue(err <= best + 1e-7, "not the nearest code at " + i);
                        // and the block's error is at most half the widest gap (signed: −1 lies outside the map)
                        double bound = signed ? Math.max(maxGap / 2, 1 + code[0]) : maxGap / 2;
                        assertTrue(Math.abs(x[i] - y[i]) <= (bound + 1e-6) * absmax, "error at " + i + " bs " + bs
                                + " signed "
                                + signed + ": " + x[i] + " -> " + y[i] + " absmax " + absmax + " bound " + bound);
                    }
                }
            }
        }
    }

    @Test
    void smallValuesAreNotFlushedToZero() {
        // dynamic map: values from 1 down to 1e-6 of their block's absmax stay within a factor of 4 (the
        // bottom decades hold only 1, 2, 4 codes), where a linear int8 code would round everything below
        // 1/254 of the absmax to zero; the precision is finest in the top decade and coarser below
        float[] x = new float[256];
        for (int i = 0; i < 256; i++) {
            x[i] = (float) Math.pow(10, -6.2 * i / 256);
        }
        float[] y = BlockwiseQuantization.dequantize(BlockwiseQuantization.quantize(x, DynamicMap.signed(), true, 256),
                DynamicMap.signed());
        for (int i = 0; i < 256; i++) {
            assertTrue(y[i] > x[i] / 4 && y[i] < 4 * x[i], "at " + i + ": " + x[i] + " -> " + y[i]);
            if (x[i] >= 0.1) { // the top decade: linear steps of 0.9/64, so an error of at most half of one
                assertTrue(Math.abs(y[i] - x[i]) <= 0.9 / 128 + 1e-7, "at " + i + ": " + x[i] + " -> " + y[i]);
            }
        }
    }

    @Test
    void zeroBlockDequantizesToZeroAndExtremesAreExact() {
        float[] x = new float[512];
        x[300] = -2f;
        x[301] = 2f;
        float[] code = DynamicMap.signed();
        Quantized q = BlockwiseQuantization.quantize(x, code, true, 256);
        assertEquals(0f, q.absmax()[0]);
        float[] y = BlockwiseQuantization.dequantize(q, code);
        for (int i = 0; i < 256; i++) {
            assertEquals(0f, Math.abs(y[i]));
        }
        assertEquals(255, q.codes()[301] & 0xFF);
        assertEquals(2f, y[301]);
        assertEquals(0, q.codes()[300] & 0xFF); // −1 is not in the signed map: its nearest code is the smallest
        assertEquals(127, q.codes()[302] & 0xFF); // zero
    }

    @Test
    void nearestFollowsTheBinarySearchOnMidpoints() {
        float[] code = DynamicMap.signed();
        for (int k = 0; k < 256; k++) {
            assertEquals(k, BlockwiseQuantization.nearest(code, code[k], true), "exact code " + k);
        }
        assertEquals(255, BlockwiseQuantization.nearest(code, 5f, true));
        assertEquals(0, BlockwiseQuantization.nearest(code, -5f, true));
        assertEquals(0, BlockwiseQuantization.nearest(code, Float.NaN, true));
    }

    @Test
    void blockSizesOutsideTheRangeAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> BlockwiseQuantization.quantize(new float[4], DynamicMap.signed(), true, 300));
        assertThrows(IllegalArgumentException.class,
                () -> BlockwiseQuantization.quantize(new float[4], DynamicMap.signed(), true, 8192));
        assertThrows(IllegalArgumentException.class,
                () -> BlockwiseQuantization.quantize(new float[4], new float[10], true, 256));
    }
}
