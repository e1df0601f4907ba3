/**
 * The CPU backend: Java arrays as storage, OpenBLAS through JavaCPP for matrix products, and plain Java
 * loops (written for HotSpot to vectorise) for everything else, split across one thread pool when large.
 * Found by {@link java.util.ServiceLoader}; nothing outside this package refers to it by name.
 */
@NullMarked
package dev.descent.tensor.cpu;

import org.jspecify.annotations.NullMarked;
