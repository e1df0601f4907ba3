package dev.descent.nn.models;

import dev.descent.autograd.Variable;
import dev.descent.nn.AdaptiveAvgPool2d;
import dev.descent.nn.BatchNorm2d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Layer;
import dev.descent.nn.Linear;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * The small ResNet of He et al. 2016 (§4.2, the CIFAR-10 networks of 6n + 2 layers), for 28x28x1 and 32x32x3
 * images alike:
 *
 * <pre>
 * conv1 3x3 (widths[0]), bn1, relu
 * layer1: n BasicBlocks of widths[0]; layer2: n of widths[1], the first of stride 2; layer3 likewise
 * avgpool (global), flatten, fc Linear(widths[2], classes)
 * </pre>
 *
 * Feature maps go 28, 14, 7 or 32, 16, 8; the global average pool makes the head independent of the input
 * size. Shortcuts that change shape are 1x1 projections ({@link BasicBlock}), so the parameter count is a
 * little above the paper's option A (272,474 for n = 3 on CIFAR-10, against about 0.27M). Children are named
 * as torchvision's ResNet ({@code conv1}, {@code bn1}, {@code relu}, {@code layer1..3}, {@code avgpool},
 * {@code fc}); without BatchNorm, {@code bn1} and the blocks' norms are left out.
 */
public final class ResNet extends Layer {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final Sequential layer1;
    private final Sequential layer2;
    private final Sequential layer3;
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;

    /** ResNet-20 (n = 3, widths 16, 32, 64) with BatchNorm, for {@code inChannels} 1 (28x28) or 3 (32x32). */
    public static ResNet resnet20(int inChannels, int numClasses, Rng rng) {
        return new ResNet(inChannels, new int[] {16, 32, 64}, 3, true, numClasses, rng);
    }

    /**
     * @param inChannels     image channels
     * @param widths         the three stages' widths (16, 32, 64 in the paper)
     * @param blocksPerStage n, the blocks per stage (the network has 6n + 2 weighted layers)
     * @param batchNorm      whether to use BatchNorm after each convolution
     * @param numClasses     number of outputs
     * @param rng            draws the initial weights
     */
    public ResNet(int inChannels, int[] widths, int blocksPerStage, boolean batchNorm, int numClasses, Rng rng) {
        if (widths.length != 3 || blocksPerStage < 1 || inChannels < 1 || numClasses < 1) {
            throw new IllegalArgumentException("ResNet: needs three stage widths, at least one block per stage and"
                    + " positive channels and classes; got widths " + java.util.Arrays.toString(widths) + ", "
                    + blocksPerStage + " blocks, " + inChannels + " channels, " + numClasses + " classes");
        }
        this.conv1 = registerModule("conv1", BasicBlock.conv(inChannels, widths[0], 3, 1, 1, !batchNorm, rng));
        this.bn1 = batchNorm ? registerModule("bn1", new BatchNorm2d(widths[0])) : null;
        this.relu = registerModule("relu", new ReLU());
        this.layer1 = registerModule("layer1", stage(widths[0], widths[0], 1, blocksPerStage, batchNorm, rng));
        this.layer2 = registerModule("layer2", stage(widths[0], widths[1], 2, blocksPerStage, batchNorm, rng));
        this.layer3 = registerModule("layer3", stage(widths[1], widths[2], 2, blocksPerStage, batchNorm, rng));
        this.avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        this.fc = registerModule("fc", new Linear(widths[2], numClasses, rng));
    }

    private static Sequential stage(int inPlanes, int planes, int stride, int blocks, boolean batchNorm, Rng rng) {
        List<Layer> list = new ArrayList<>();
        list.add(new BasicBlock(inPlanes, planes, stride, batchNorm, rng));
        for (int i = 1; i < blocks; i++) {
            list.add(new BasicBlock(planes, planes, 1, batchNorm, rng));
        }
        return new Sequential(list);
    }

    /** Logits [N, classes] of images [N, inChannels, H, W]. */
    @Override
    public Variable forward(Variable input) {
        Variable x = conv1.forward(input);
        x = relu.forward(bn1 == null ? x : bn1.forward(x));
        x = layer3.forward(layer2.forward(layer1.forward(x)));
        return fc.forward(avgpool.forward(x).flatten(1, -1));
    }
}
