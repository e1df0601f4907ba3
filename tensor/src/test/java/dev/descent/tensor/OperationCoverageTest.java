package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The guard that keeps every operation tested: each public method of {@link Tensor} must be claimed by
 * one of the reference-driven test classes (their COVERS sets), so a new operation fails this test until
 * it has a reference check.
 */
class OperationCoverageTest {

    @Test
    void everyPublicTensorMethodHasAReferenceTest() {
        Set<String> covered = new TreeSet<>();
        covered.addAll(UnaryOpsTest.COVERS);
        covered.addAll(BinaryOpsTest.COVERS);
        covered.addAll(ReductionsTest.COVERS);
        covered.addAll(MatMulTest.COVERS);
        covered.addAll(CreationTest.COVERS);
        covered.addAll(ViewsTest.COVERS);
        covered.addAll(InPlaceTest.COVERS);
        covered.addAll(IndexingTest.COVERS);
        covered.addAll(JoiningTest.COVERS);
        covered.addAll(FormatTest.COVERS);
        covered.addAll(CausalSoftmaxTest.COVERS);
        Set<String> missing = new TreeSet<>();
        for (Method m : Tensor.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !covered.contains(m.getName())
                    && !Set.of("equals", "hashCode").contains(m.getName())) {
                missing.add(m.getName());
            }
        }
        assertEquals(Set.of(), missing, "public Tensor methods without a reference test");
    }
}
