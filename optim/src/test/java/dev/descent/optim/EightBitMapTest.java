package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.optim.eightbit.DynamicMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dynamic quantization map of spec/optimizers.md §13.1. */
class EightBitMapTest {
    /** §13.1 recomputed here independently, in double, then rounded to float. */
    private static float[] construction(boolean signed) {
        List<Double> data = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            int n = signed ? (1 << i) + 1 : (1 << (i + 1)) + 1;
            for (int j = 0; j < n - 1; j++) {
                double b0 = 0.1 + 0.9 * j / (n - 1);
                double b1 = 0.1 + 0.9 * (j + 1) / (n - 1);
                double v = Math.pow(10, -6 + i) * (b0 + b1) / 2;
                data.add(v);
                if (signed) {
                    data.add(-v);
                }
            }
        }
        data.add(0.0);
        data.add(1.0);
        while (data.size() < 256) {
            data.add(0.0);
        }
        float[] out = new float[256];
        for (int i = 0; i < 256; i++) {
            out[i] = data.get(i).floatValue();
        }
        Arrays.sort(out);
        return out;
    }

    @Test
    void signedMapHasTheSpecifiedShape() {
        float[] q = DynamicMap.signed();
        assertEquals(256, q.length);
        assertEquals(127, Arrays.stream(box(q)).filter(v -> v > 0 && v < 1).count());
        assertEquals(127, Arrays.stream(box(q)).filter(v -> v < 0).count());
        assertEquals(0f, q[127]);
        assertEquals(1f, q[255]);
        assertEquals(-0.99296875, q[0], 1e-7);
        assertEquals(0.99296875, q[254], 1e-7);
        assertEquals(5.5e-7, q[128], 1e-13);
        assertEquals(-5.5e-7, q[126], 1e-13);
        assertAscending(q);
    }

    @Test
    void unsignedMapHasTheSpecifiedShape() {
        float[] q = DynamicMap.unsigned();
        assertEquals(256, q.length);
        assertEquals(0f, q[0]);
        assertEquals(3.25e-7, q[1], 1e-13);
        assertEquals(1f, q[255]);
        assertTrue(Arrays.stream(box(q)).skip(1).allMatch(v -> v > 0));
        assertAscending(q);
    }

    @Test
    void mapsMatchTheConstructionComputedInDouble() {
        for (boolean signed : new boolean[] {true, false}) {
            float[] expected = construction(signed);
            float[] actual = signed ? DynamicMap.signed() : DynamicMap.unsigned();
            for (int i = 0; i < 256; i++) {
                // float32 linspace and products round differently from double: a few ulps at most
                assertEquals(expected[i], actual[i], 4 * Math.ulp(expected[i]),
                        (signed ? "signed" : "unsigned") + " " + i);
            }
        }
    }

    @Test
    void mapsMatchThePythonReferenceExactly() {
        Map<String, String[]> f = EightBitFixture.load("map.txt");
        assertArrayEquals(EightBitFixture.floats(f.get("signed")), DynamicMap.signed());
        assertArrayEquals(EightBitFixture.floats(f.get("unsigned")), DynamicMap.unsigned());
    }

    @Test
    void createWithTheDefaultsIsTheSignedAndUnsignedMap() {
        assertArrayEquals(DynamicMap.signed(), DynamicMap.create(true, 7, 8));
        assertArrayEquals(DynamicMap.unsigned(), DynamicMap.create(false, 7, 8));
        assertNotSame(DynamicMap.signed(), DynamicMap.signed());
        assertThrows(IllegalArgumentException.class, () -> DynamicMap.create(true, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> DynamicMap.create(true, 0, 8));
    }

    private static void assertAscending(float[] q) {
        for (int i = 1; i < q.length; i++) {
            assertTrue(q[i - 1] < q[i], "not strictly ascending at " + i);
        }
    }

    private static Float[] box(float[] q) {
        Float[] out = new Float[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = q[i];
        }
        return out;
    }
}
