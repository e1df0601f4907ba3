/**
 * The 8-bit optimizers of Dettmers, Lewis, Shleifer and Zettlemoyer (ICLR 2022) as bitsandbytes implements
 * them (spec/optimizers.md §13): the dynamic quantization map ({@link dev.descent.optim.eightbit.DynamicMap},
 * §13.1), block-wise absmax quantization ({@link dev.descent.optim.eightbit.BlockwiseQuantization}, §13.2), and
 * {@link dev.descent.optim.eightbit.Adam8bit}, {@link dev.descent.optim.eightbit.AdamW8bit} and
 * {@link dev.descent.optim.eightbit.Momentum8bit}, whose state is 8-bit codes plus one float32 absmax per block.
 *
 * <p>State layout (what {@code stateTensors()} saves, per parameter {@code <name>}):
 * <ul>
 *   <li>8-bit: {@code <name>.state1} (and {@code .state2} for Adam) is an INT64 tensor of {@code ceil(n/8)}
 *       words, each packing eight unsigned 8-bit codes, code {@code i} in bits {@code 8*(i%8)} to
 *       {@code 8*(i%8)+7} of word {@code i/8}, so the state costs one byte per element as in bitsandbytes;
 *       {@code <name>.absmax1} (and {@code .absmax2}) is a FLOAT32 tensor of {@code ceil(n/block_size)}
 *       scales.</li>
 *   <li>32-bit (tensors with fewer than {@code min_8bit_size} elements, and parameters named in the
 *       full-precision set): {@code <name>.state1} (and {@code .state2}) is a FLOAT32 tensor of the
 *       parameter's shape.</li>
 * </ul>
 * The mode of a parameter is fixed when its state is created (or loaded: an INT64 {@code state1} means 8-bit).
 *
 * <p>Arithmetic is float32 throughout, in the order of the bitsandbytes kernels. Parameters and gradients
 * must be FLOAT32. One difference from the CUDA kernels: the scaled value {@code s/absmax} is computed with an
 * exact float32 division where the kernels use the approximate {@code __fdividef}, and likewise the
 * parameter update's division.
 */
@NullMarked
package dev.descent.optim.eightbit;

import org.jspecify.annotations.NullMarked;
