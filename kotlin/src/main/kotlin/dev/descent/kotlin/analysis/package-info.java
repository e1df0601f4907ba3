/**
 * Kotlin builders over the analysis module's studies and operators: a warmup study written as a block
 * ({@code warmupStudy { norms(PRE, POST); peakLrs(3e-3, 1e-2); steps = 400 }.run(folder, jobs)}) with a suspending
 * run whose progress is a {@code StateFlow} ({@code study(folder, jobs)}), gradient norms at initialisation
 * ({@code gradNormsAtInit(ModelKind.LM) { seeds = 5 }.sweep(2, 4, 8)}), and a model's Hessian as an operator
 * ({@code hessian(model, loss) { data(loader); block("0.") }}) with the solvers as functions of it
 * ({@code topEigenvalues(k)}, {@code density(runs, steps)}, {@code trace()}). Each builds or calls the Java
 * objects one would use by hand, with the Java defaults for what a block leaves out; nothing here computes.
 */
package dev.descent.kotlin.analysis;
