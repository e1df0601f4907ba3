/**
 * The CPU backend: Java arrays as storage, OpenBLAS (loaded by JavaCPP) for matrix products, and plain Java
 * loops (written for HotSpot to vectorise) for everything else, split across one thread pool when large.
 * Descent's native library ({@code NativeLibrary}, the C files of {@code src/main/c}, built when gcc is present)
 * runs matrix products on the arrays in place ({@code NativeGemm}) and the row kernels of softmax, layer norm and
 * the convolution's fold ({@code NativeSoftmax}, {@code NativeNorm}, {@code NativeConv}), which give the bits of
 * their Java twins; without it, products run on copies in off-heap scratch ({@code BlasScratch}) and the rows in
 * Java. On AVX-512 processors it also runs FLOAT32 convolutions one sample at a time on the pool
 * ({@code ConvBySample}, {@code NativeConvSamples}) with a small GEMM of its own, and 2 x 2 max pooling
 * ({@code NativePool}, the same bits as its Java twin).
 * Found by {@link java.util.ServiceLoader}; nothing outside this package refers to it by name.
 */
@NullMarked
package dev.descent.tensor.cpu;

import org.jspecify.annotations.NullMarked;
