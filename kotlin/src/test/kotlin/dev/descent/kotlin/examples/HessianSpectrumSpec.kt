package dev.descent.kotlin.examples

import dev.descent.analysis.spectrum.SpectralDensity
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.StringSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import java.nio.file.Files

// The example run small: it trains, its top eigenvalues come out ordered and converged, the largest SLQ node
// (a Ritz value of its own Lanczos run) agrees with the top eigenvalue, and it writes the tables and the plot.
class HessianSpectrumSpec : StringSpec({
    "the Hessian spectrum of a small MLP trained briefly on MNIST" {
        val dir = tempdir().toPath()
        val r = hessianSpectrum(dir, trainSteps = 30, hidden = 16, examples = 100, top = 3, runs = 1, lanczosSteps = 20)
        r.parameters shouldBe 784 * 16 + 16 + 16 * 10 + 10
        r.trainLoss shouldBeLessThan 2.0 // from ln 10 = 2.3 at the start
        val top = r.top.values().toList()
        top shouldBe top.sortedDescending()
        withClue("Ritz residuals ${r.top.residuals().toList()} for $top") {
            r.top.maxRelativeResidual() shouldBeLessThan 1e-3
        }
        r.slq.runs() shouldBe 1
        r.slq.maxNode() shouldBe (top[0] plusOrMinus 1e-4 * top[0])
        Files.readAllBytes(r.densityPlot).take(4) shouldBe listOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte())
        val density = Files.readAllLines(dir.resolve("density.csv"))
        density[0] shouldBe "eigenvalue,density"
        density.size shouldBe 1 + SpectralDensity.DEFAULT_POINTS
        Files.readAllLines(dir.resolve("slq.csv")).size shouldBe 1 + 20
    }
})
