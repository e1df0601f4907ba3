/**
 * The CPU backend: Java arrays as storage, OpenBLAS (loaded by JavaCPP) for matrix products, and plain Java
 * loops (written for HotSpot to vectorise) for everything else, split across one thread pool when large.
 * Matrix products run on the arrays in place through a small JNI bridge ({@code NativeGemm}, built from
 * {@code src/main/c} when gcc is present), or else on copies in off-heap scratch ({@code BlasScratch}).
 * Found by {@link java.util.ServiceLoader}; nothing outside this package refers to it by name.
 */
@NullMarked
package dev.descent.tensor.cpu;

import org.jspecify.annotations.NullMarked;
