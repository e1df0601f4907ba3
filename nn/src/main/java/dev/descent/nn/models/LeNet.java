package dev.descent.nn.models;

import dev.descent.autograd.Variable;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Flatten;
import dev.descent.nn.Layer;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Rng;

/**
 * LeNet-5 with ReLU and max pooling (LeCun et al. 1998, as it is usually written today):
 *
 * <pre>
 * features:   Conv2d(in, 6, 5, padding), ReLU, MaxPool2d(2), Conv2d(6, 16, 5), ReLU, MaxPool2d(2)
 * flatten
 * classifier: Linear(16 s s, 120), ReLU, Linear(120, 84), ReLU, Linear(84, classes)
 * </pre>
 *
 * where s is the side of the last feature map: 5 for 28x28 inputs padded by 2 ({@link #mnist}) and for 32x32
 * inputs unpadded ({@link #cifar10}). Input [N, in, size, size], output logits [N, classes]. Layers keep
 * PyTorch's default initialisation.
 */
public final class LeNet extends Layer {
    private final int inChannels;
    private final int inputSize;
    private final Sequential features;
    private final Flatten flatten;
    private final Sequential classifier;

    /** 28x28 single-channel images (MNIST), padded by 2 as the original 32x32 input; 10 classes. */
    public static LeNet mnist(Rng rng) {
        return new LeNet(1, 28, 2, 10, rng);
    }

    /** 32x32 colour images (CIFAR-10), unpadded; 10 classes. */
    public static LeNet cifar10(Rng rng) {
        return new LeNet(3, 32, 0, 10, rng);
    }

    /**
     * @param inChannels image channels
     * @param inputSize  image side (square images)
     * @param padding    zero padding of the first convolution
     * @param numClasses number of outputs
     * @param rng        draws the initial weights
     */
    public LeNet(int inChannels, int inputSize, int padding, int numClasses, Rng rng) {
        int side = ((inputSize + 2 * padding - 4) / 2 - 4) / 2;
        if (inChannels < 1 || numClasses < 1 || padding < 0 || side < 1) {
            throw new IllegalArgumentException("LeNet: " + inChannels + " channels of " + inputSize + "x" + inputSize
                    + " with padding " + padding + " and " + numClasses + " classes do not make a LeNet (the"
                    + " feature map must keep a positive size)");
        }
        this.inChannels = inChannels;
        this.inputSize = inputSize;
        this.features = registerModule("features", new Sequential(
                new Conv2d(inChannels, 6, 5, 1, padding, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5, rng), new ReLU(), new MaxPool2d(2)));
        this.flatten = registerModule("flatten", new Flatten());
        this.classifier = registerModule("classifier", new Sequential(
                new Linear(16 * side * side, 120, rng), new ReLU(), new Linear(120, 84, rng), new ReLU(),
                new Linear(84, numClasses, rng)));
    }

    /** Logits [N, classes] of images [N, in, size, size]. */
    @Override
    public Variable forward(Variable input) {
        if (input.dim() != 4 || input.size(1) != inChannels || input.size(2) != inputSize
                || input.size(3) != inputSize) {
            throw new IllegalArgumentException("LeNet: expected images [N, " + inChannels + ", " + inputSize + ", "
                    + inputSize + "], got " + input.shape());
        }
        return classifier.forward(flatten.forward(features.forward(input)));
    }
}
