/**
 * Root of the examples module: the {@code descent} command line lives in {@code cli}, the measurements it
 * runs in {@code bench}, and runnable example programs beside them.
 */
package dev.descent.examples;
