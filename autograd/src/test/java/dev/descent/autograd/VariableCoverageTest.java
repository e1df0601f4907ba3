package dev.descent.autograd;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every differentiable public method of {@link Variable} (one that returns a {@code Variable}, a list of
 * them, or values with indices) must be named in the {@code COVERS} set of one of the gradient-check
 * tables, so that no operation can be added without first- and second-order checks.
 */
class VariableCoverageTest {
    /** The gradient-check tables; each has a {@code static final Set<String> COVERS}. */
    private static final List<String> TABLES = List.of("PointwiseGradTest", "ShapesGradTest", "ReductionsGradTest",
            "LinearAlgebraGradTest", "IndexingGradTest", "ConvolutionsGradTest", "NormsGradTest");

    /** Methods that return a Variable but are not operations: constructors of leaves and graph plumbing. */
    private static final Set<String> NOT_OPERATIONS = Set.of("constant", "parameter", "requiresGrad", "detach");

    @Test
    void everyDifferentiableOperationIsInAGradCheckTable() throws ReflectiveOperationException {
        Set<String> covered = new HashSet<>();
        for (String table : TABLES) {
            Class<?> c = Class.forName("dev.descent.autograd." + table);
            var field = c.getDeclaredField("COVERS");
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            Set<String> names = (Set<String>) field.get(null);
            covered.addAll(names);
        }
        Set<String> missing = new TreeSet<>();
        for (Method m : Variable.class.getDeclaredMethods()) {
            boolean differentiable = m.getReturnType() == Variable.class || m.getReturnType() == List.class
                    || m.getReturnType() == Variable.ValuesAndIndices.class;
            if (Modifier.isPublic(m.getModifiers()) && differentiable && !NOT_OPERATIONS.contains(m.getName())
                    && !covered.contains(m.getName())) {
                missing.add(m.getName());
            }
        }
        assertTrue(missing.isEmpty(), "operations without gradient checks: " + missing);
    }
}
