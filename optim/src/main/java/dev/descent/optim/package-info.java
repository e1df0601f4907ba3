/**
 * Optimizers and what composes around them. Optimizers see named parameters, never modules, and keep a
 * state keyed by parameter name that resumes exactly ({@code stateTensors}, {@code stateScalars},
 * {@code loadState}).
 *
 * <ul>
 *   <li>The facade: {@link dev.descent.optim.Optimizer}, {@link dev.descent.optim.ParamGroup},
 *       {@link dev.descent.optim.ParamState}.</li>
 *   <li>torch.optim, exact to PyTorch: SGD, Adam, AdamW, Adamax, RMSprop, Adagrad, Adadelta, NAdam, RAdam.</li>
 *   <li>From the papers, exact to their official code (spec/optimizers.md): OfficialRAdam, AdaBelief, ACProp,
 *       DiffGrad, Adafactor, Adan, PNM, AdaPNM, SignSGD, Signum, GeneralizedSignSGD, PadamW, Koala; GradInit with RescaleAdam; and LARS,
 *       LAMB.</li>
 *   <li>Wrappers around any optimizer: Lookahead, IterateAveraging (Gadam, GadamX).</li>
 *   <li>{@link dev.descent.optim.Clipping}; schedules in {@code dev.descent.optim.schedule}.</li>
 * </ul>
 *
 * <p>8-bit state (Adam8bit, AdamW8bit, Momentum8bit) is in {@code dev.descent.optim.eightbit}.
 */
@NullMarked
package dev.descent.optim;

import org.jspecify.annotations.NullMarked;
