package dev.descent.kotlin.analysis

import dev.descent.analysis.gradnorm.GradNormReport
import dev.descent.analysis.gradnorm.GradNormSetup
import dev.descent.analysis.gradnorm.GradientNormsAtInit
import dev.descent.analysis.gradnorm.ModelKind
import dev.descent.nn.NormPosition
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files

// The DSL's setup is the Java builder's, defaults included, and its study measures what the Java study measures.
class GradNormsDslSpec : StringSpec({
    "a block with nothing set is the Java builder's defaults, for both model kinds" {
        gradNormSetup(ModelKind.LM) shouldBe GradNormSetup.builder(ModelKind.LM).build()
        gradNormSetup(ModelKind.ENCODER_DECODER) { } shouldBe GradNormSetup.builder(ModelKind.ENCODER_DECODER).build()
    }

    "every property is the Java builder's setter of the same name" {
        val dsl = gradNormSetup(ModelKind.ENCODER_DECODER) {
            dModel = 16; heads = 2; dimFeedforward = 24; seqLen = 6; batchSize = 3; batches = 2; seeds = 3; seed = 9
            taskVocabulary = 11
        }
        dsl shouldBe GradNormSetup(ModelKind.ENCODER_DECODER, 16, 2, 24, 6, 3, 2, 3, 9, 11)
        gradNormSetup(ModelKind.LM) { dModel = 8 }.dimFeedforward() shouldBe 32 // 4 dModel, as in Java
        shouldThrow<IllegalArgumentException> { gradNormSetup(ModelKind.LM) { dModel = 10; heads = 4 } }.message shouldContain
            "dModel 10 is not a multiple of heads 4"
    }

    "a sweep through the DSL measures what the Java study measures, and its report is written" {
        val dsl = gradNormsAtInit(ModelKind.LM) { dModel = 16; heads = 2; seqLen = 8; batchSize = 2; batches = 1; seeds = 2 }
        val java = GradientNormsAtInit(GradNormSetup.builder(ModelKind.LM).dModel(16).heads(2).seqLen(8).batchSize(2)
            .batches(1).seeds(2).build())
        val a = dsl.sweep(1, 2)
        val b = java.sweep(1, 2)
        for (norm in NormPosition.values()) {
            a.lastLayerMean(norm).toList() shouldBe b.lastLayerMean(norm).toList()
            a.lastLayerStd(norm).toList() shouldBe b.lastLayerStd(norm).toList()
        }
        val dir = tempdir().toPath()
        a.writeReport(dir)
        val depth = Files.readAllLines(dir.resolve("depth.csv"))
        depth[0] shouldBe GradNormReport.DEPTH_HEADER.joinToString(",")
        depth.size shouldBe 1 + 2 * 2 // Post-LN and Pre-LN at depths 1 and 2, one stack
        // per_layer.csv at the deepest depth by default: 2 layers for each of Pre-LN and Post-LN
        Files.readAllLines(dir.resolve("per_layer.csv")).drop(1).map { it.split(",")[2] }.toSet() shouldBe setOf("2")
        Files.exists(dir.resolve("gradnorm.json")) shouldBe true
    }
})
