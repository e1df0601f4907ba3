/**
 * Neural-network building blocks: {@code Module} and {@code Parameter}, layers, functional operations,
 * losses, initialisers, state dicts and checkpoints, data sets and loaders.
 */
@NullMarked
package dev.descent.nn;

import org.jspecify.annotations.NullMarked;
