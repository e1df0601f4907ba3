package dev.descent.analysis.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.DenseOperator;
import dev.descent.analysis.curvature.DiagonalOperator;
import dev.descent.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockTracesTest {
    private static final List<Block> BLOCKS = Block.consecutive(List.of("w1", "b1", "w2"), new int[] {20, 5, 25});

    @Test
    void consecutiveBlocksLieEndToEnd() {
        assertEquals(new Block("b1", 20, 5), BLOCKS.get(1));
        assertEquals(new Block("w2", 25, 25), BLOCKS.get(2));
    }

    @Test
    void eachBlockTraceLiesWithinItsStandardErrors() {
        double[][] a = HutchinsonTest.randomSymmetric(50, new Rng(1));
        BlockTraceEstimate t = new BlockTraces(400, Probe.RADEMACHER).estimate(DenseOperator.of(a), BLOCKS,
                new Rng(2));
        for (int l = 0; l < BLOCKS.size(); l++) {
            Block b = BLOCKS.get(l);
            double exact = 0;
            for (int i = b.offset(); i < b.offset() + b.length(); i++) {
                exact += a[i][i];
            }
            assertTrue(Math.abs(t.estimates()[l] - exact) < 3 * t.standardErrors()[l],
                    b.name() + ": " + t.estimates()[l] + " ± " + t.standardErrors()[l] + " vs " + exact);
        }
    }

    @Test
    void blocksOfAPartitionSumToHutchinsonWithTheSameProbes() {
        DenseOperator op = DenseOperator.of(HutchinsonTest.randomSymmetric(50, new Rng(3)));
        BlockTraceEstimate blocks = new BlockTraces(30, Probe.GAUSSIAN).estimate(op, BLOCKS, new Rng(4));
        TraceEstimate whole = new Hutchinson(Probe.GAUSSIAN, 0, 30, 30).estimate(op, new Rng(4));
        assertEquals(whole.estimate(), blocks.estimates()[0] + blocks.estimates()[1] + blocks.estimates()[2], 1e-9);
    }

    @Test
    void isExactForADiagonalOperator() {
        double[] d = new double[50];
        for (int i = 0; i < 50; i++) {
            d[i] = i;
        }
        BlockTraceEstimate t = new BlockTraces().estimate(new DiagonalOperator(d), BLOCKS, new Rng(5));
        assertArrayEquals(new double[] {190, 110, 925}, t.estimates(), 1e-12);
        assertArrayEquals(new double[3], t.standardErrors(), 0);
        assertEquals(100, t.samples());
    }

    @Test
    void rejectsBlocksOutsideTheOperator() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BlockTraces().estimate(new DiagonalOperator(new double[40]), BLOCKS, new Rng(1)));
        assertTrue(e.getMessage().contains("block w2 covers coordinates 25..49, the operator has 40"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Block("x", -1, 3));
        assertThrows(IllegalArgumentException.class, () -> new Block("x", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BlockTraces(1, Probe.RADEMACHER));
    }
}
