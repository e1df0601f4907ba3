// The Hessian spectrum of an MLP trained on MNIST, through the analysis module: the top eigenvalues by Lanczos and
// the spectral density by stochastic Lanczos quadrature, of the operator that hessian { } builds.
@file:JvmName("HessianSpectrum")

package dev.descent.kotlin.examples

import dev.descent.analysis.curvature.LossFunction
import dev.descent.analysis.curvature.ModelCopy
import dev.descent.analysis.report.StudyFolder
import dev.descent.analysis.spectrum.Eigenpairs
import dev.descent.analysis.spectrum.SlqResult
import dev.descent.kotlin.analysis.density
import dev.descent.kotlin.analysis.hessian
import dev.descent.kotlin.analysis.spectrum
import dev.descent.kotlin.analysis.topEigenpairs
import dev.descent.kotlin.coroutines.train
import dev.descent.kotlin.dsl.adam
import dev.descent.kotlin.dsl.sequential
import dev.descent.kotlin.invoke
import dev.descent.nn.Sequential
import dev.descent.nn.data.Bundled
import dev.descent.nn.data.DataLoader
import dev.descent.nn.functional.F
import dev.descent.tensor.Rng
import java.nio.file.Path
import java.util.Locale
import kotlinx.coroutines.runBlocking

/**
 * What [hessianSpectrum] found: the mean training loss of the last ten steps, the size of the Hessian, its top
 * eigenpairs (values and Ritz residuals), the SLQ rules, and the density plot's file.
 */
data class HessianSpectrumResult(
    val trainLoss: Double,
    val parameters: Int,
    val top: Eigenpairs,
    val slq: SlqResult,
    val densityPlot: Path,
)

/**
 * Trains `784-[hidden]-ReLU-10` with Adam (lr 1e-3, batch 64) for [trainSteps] steps on the bundled MNIST digits,
 * then takes the Hessian of the mean cross-entropy over the first [examples] training digits, in FLOAT64 on a copy
 * of the model: its [top] largest eigenvalues by Lanczos, and [runs] SLQ runs of [lanczosSteps] steps, smoothed
 * as PyHessian does. Writes `slq.csv`, `density.csv` and `density.png` into [folder].
 */
suspend fun hessianSpectrum(
    folder: Path,
    trainSteps: Long = 300,
    hidden: Int = 64,
    examples: Int = 1000,
    top: Int = 5,
    runs: Int = 2,
    lanczosSteps: Int = 60,
    seed: Long = 0,
): HessianSpectrumResult {
    val digits = Bundled.mnistTrain().reshapeInputs(784)
    val mlp = { rng: Rng -> sequential(rng) { linear(784, hidden); relu(); linear(hidden, 10) } }
    val model = mlp(Rng(seed))
    val opt = adam(model) { lr = 1e-3 }
    val loader = DataLoader.builder(digits).batchSize(64).shuffle(Rng(seed + 1)).dropLast(true).build()
    val trained = train(model, opt, loader) {
        steps = trainSteps
        loss { b -> F.crossEntropy(model(b.inputs()), b.targets()) }
    }
    // curvature in float64, on a copy: the float32 model being trained is left as it is
    val copy: Sequential = ModelCopy.float64(model) { mlp(Rng(seed)) }
    val h = hessian(copy, LossFunction.crossEntropy()) {
        data(DataLoader.builder(digits.subset(0, examples)).batchSize(minOf(examples, 250)).build())
    }
    val rng = Rng(seed + 2)
    val eigenpairs = h.topEigenpairs(top, rng = rng)
    val slq = h.spectrum(runs, lanczosSteps, rng = rng)
    val out = StudyFolder(folder)
    slq.writeCsv(out, "slq.csv")
    val density = slq.density()
    density.writeCsv(out, "density.csv")
    val plot = out.writePlot("density.png", density.plot("Hessian density: MLP 784-$hidden-10, $examples MNIST digits"))
    return HessianSpectrumResult(trained.losses.takeLast(10).average(), h.size(), eigenpairs, slq, plot)
}

/** Runs [hessianSpectrum] with its defaults into the folder given as the argument (default `runs/hessian-spectrum`). */
fun main(args: Array<String>) {
    val r = runBlocking { hessianSpectrum(Path.of(args.getOrElse(0) { "runs/hessian-spectrum" })) }
    println(String.format(Locale.ROOT, "training loss %.4f; Hessian of %d parameters", r.trainLoss, r.parameters))
    for (i in 0 until r.top.count()) {
        println(String.format(Locale.ROOT, "eigenvalue %d: %10.5f  (Ritz residual %.1e)", i + 1, r.top.values()[i],
            r.top.residuals()[i]))
    }
    println(String.format(Locale.ROOT, "SLQ trace estimate %.3f; density plot %s", r.slq.traceEstimate(), r.densityPlot))
}
