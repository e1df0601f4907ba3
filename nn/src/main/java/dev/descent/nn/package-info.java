/**
 * Neural-network building blocks: {@code Module} and {@code Parameter}, layers, functional operations,
 * losses, initialisers, state dicts and checkpoints, data sets and loaders.
 */
package dev.descent.nn;
