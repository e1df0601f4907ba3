package dev.descent.examples;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps DESIGN.md §1 true: the module dependency table, and no package cycles. It runs here because the
 * examples module sees every other module's classes (all but bench, which depends on examples, and cuda,
 * which is not on this class path; its rule applies once it is).
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.descent");
    }

    @Test
    void importSeesTheModules() {
        // so that neither rule below can pass on an empty or partial import
        for (String name : new String[] {
            "dev.descent.tensor.Tensor",
            "dev.descent.tensor.cpu.CpuBackend",
            "dev.descent.kotlin.TensorOperators",
            "dev.descent.examples.cli.DescentCommand",
        }) {
            assertTrue(classes.contain(name), name + " was not imported");
        }
    }

    @Test
    void modulesDependOnlyAsTheTableSays() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("tensor").definedBy("dev.descent.tensor..")
                // empty until their issues fill them; the rules hold as soon as they have classes
                .optionalLayer("cuda").definedBy("dev.descent.cuda..")
                .optionalLayer("autograd").definedBy("dev.descent.autograd..")
                .optionalLayer("nn").definedBy("dev.descent.nn..")
                .optionalLayer("optim").definedBy("dev.descent.optim..")
                .optionalLayer("analysis").definedBy("dev.descent.analysis..")
                .layer("kotlin").definedBy("dev.descent.kotlin..")
                .layer("examples").definedBy("dev.descent.examples..")
                .whereLayer("tensor").mayNotAccessAnyLayer()
                .whereLayer("cuda").mayOnlyAccessLayers("tensor")
                .whereLayer("autograd").mayOnlyAccessLayers("tensor")
                .whereLayer("nn").mayOnlyAccessLayers("autograd", "tensor")
                .whereLayer("optim").mayOnlyAccessLayers("autograd", "tensor")
                .whereLayer("analysis").mayOnlyAccessLayers("nn", "optim", "autograd", "tensor")
                .whereLayer("kotlin").mayOnlyAccessLayers("analysis", "optim", "nn", "autograd", "cuda", "tensor")
                .whereLayer("examples").mayOnlyAccessLayers(
                        "kotlin", "analysis", "optim", "nn", "autograd", "cuda", "tensor")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.descent.(**)").should().beFreeOfCycles().check(classes);
    }
}
