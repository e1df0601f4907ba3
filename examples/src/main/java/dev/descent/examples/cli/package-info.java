/**
 * The {@code descent} command line (picocli): the top-level command, its subcommands and their output.
 */
package dev.descent.examples.cli;
