/**
 * Ready-made architectures built from {@code dev.descent.nn} layers, with PyTorch's child names so that a
 * printed model, its parameter count and its state-dict names read as the equivalent PyTorch model's:
 * {@link dev.descent.nn.models.MLP} (a builder of {@code Sequential} perceptrons),
 * {@link dev.descent.nn.models.LeNet} (LeNet-5 for 28x28 or 32x32 images),
 * {@link dev.descent.nn.models.BasicBlock} (the two-convolution residual block of ResNet, with or without
 * BatchNorm) and {@link dev.descent.nn.models.ResNet} (He et al.'s small 6n+2-layer ResNet for 28x28x1 and
 * 32x32x3 inputs).
 */
@NullMarked
package dev.descent.nn.models;

import org.jspecify.annotations.NullMarked;
