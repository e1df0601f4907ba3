package dev.descent.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.BinaryOp;
import dev.descent.tensor.DType;
import dev.descent.tensor.ReduceOp;
import dev.descent.tensor.UnaryOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KernelSourcesTest {

    private static List<KernelSource> everyClaimedKernel() {
        List<KernelSource> all = new ArrayList<>();
        for (DType t : DType.values()) {
            for (UnaryOp op : UnaryOp.values()) {
                all.add(KernelSources.unary(op, t));
            }
            for (BinaryOp op : BinaryOp.values()) {
                all.add(KernelSources.binary(op, t));
            }
            for (DType to : DType.values()) {
                all.add(KernelSources.copy(t, to));
            }
            all.add(KernelSources.fill(t));
            for (ReduceOp op : ReduceOp.values()) {
                if (KernelSources.hasReduce(op)) {
                    all.add(KernelSources.reduce(op, t));
                }
            }
        }
        return all;
    }

    @Test
    void everyUnaryAndBinaryOpHasAnExpression() {
        for (UnaryOp op : UnaryOp.values()) {
            assertTrue(KernelSources.hasUnary(op), op.name());
        }
        for (BinaryOp op : BinaryOp.values()) {
            assertTrue(KernelSources.hasBinary(op), op.name());
        }
        assertEquals(Set.of(ReduceOp.SUM, ReduceOp.PROD, ReduceOp.MAX, ReduceOp.MIN),
                Set.of(ReduceOp.values()).stream().filter(KernelSources::hasReduce).collect(
                        java.util.stream.Collectors.toSet()));
        assertThrows(UnsupportedOperationException.class, () -> KernelSources.reduce(ReduceOp.ARGMAX, DType.FLOAT32));
    }

    @Test
    void sourcesAreFilledBalancedAndDefineTheirEntryPoint() {
        for (KernelSource k : everyClaimedKernel()) {
            String src = k.source();
            assertFalse(src.contains("${"), k.name());
            assertTrue(src.contains("extern \"C\" __global__ void " + k.name() + "("), k.name());
            assertTrue(src.contains("struct Layout"), k.name());
            assertEquals(count(src, '{'), count(src, '}'), k.name() + " braces");
            assertEquals(count(src, '('), count(src, ')'), k.name() + " parentheses");
            assertEquals(count(src, '['), count(src, ']'), k.name() + " brackets");
        }
    }

    @Test
    void kernelNamesAreDistinctCacheKeys() {
        List<KernelSource> all = everyClaimedKernel();
        Set<String> names = new HashSet<>();
        for (KernelSource k : all) {
            assertTrue(names.add(k.name()), "duplicate kernel name " + k.name());
            assertTrue(k.name().matches("[a-z0-9_]+"), k.name());
        }
        assertEquals(KernelSources.unary(UnaryOp.EXP, DType.FLOAT32), KernelSources.unary(UnaryOp.EXP, DType.FLOAT32));
        assertEquals("binary_lt_int64", KernelSources.binary(BinaryOp.LT, DType.INT64).name());
    }

    @Test
    void typesFollowTheOp() {
        String lt = KernelSources.binary(BinaryOp.LT, DType.FLOAT64).source();
        assertTrue(lt.contains("const double* a"), lt);
        assertTrue(lt.contains("unsigned char* out"), lt);
        String add = KernelSources.binary(BinaryOp.ADD, DType.FLOAT32).source();
        assertTrue(add.contains("x + (float) alpha * y"), add);
        String sum = KernelSources.reduce(ReduceOp.SUM, DType.BOOL).source();
        assertTrue(sum.contains("long long* out"), sum);
        assertEquals(DType.INT64, KernelSources.reduceResult(ReduceOp.SUM, DType.BOOL));
        assertEquals(DType.FLOAT32, KernelSources.reduceResult(ReduceOp.MAX, DType.FLOAT32));
        assertTrue(KernelSources.copy(DType.FLOAT32, DType.BOOL).source().contains("(unsigned char) (x != 0)"));
    }

    private static long count(String s, char c) {
        return s.chars().filter(ch -> ch == c).count();
    }
}
