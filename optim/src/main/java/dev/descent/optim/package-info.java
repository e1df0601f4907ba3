/**
 * Optimizers and what composes around them: wrappers (Lookahead, iterate averaging), schedules, gradient
 * clipping, 8-bit optimizer state and GradInit. Optimizers see named parameters, never modules.
 */
package dev.descent.optim;
