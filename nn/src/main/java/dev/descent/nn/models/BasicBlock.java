package dev.descent.nn.models;

import dev.descent.autograd.Variable;
import dev.descent.nn.BatchNorm2d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Layer;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.init.Init;
import dev.descent.tensor.Rng;

/**
 * ResNet's basic block (He et al. 2016), as torchvision's {@code BasicBlock}:
 *
 * <pre>
 * out = relu(bn1(conv1(x)))          conv1: 3x3, stride s
 * out = relu(bn2(conv2(out)) + sc)   conv2: 3x3; sc = x, or downsample(x) when the shape changes
 * </pre>
 *
 * with {@code downsample} = 1x1 convolution of stride s then BatchNorm (a projection shortcut, torchvision's
 * option B) when {@code stride != 1} or the width changes. Without BatchNorm the {@code bn} layers are left out
 * and the convolutions get biases instead. Children are named as torchvision's ({@code conv1}, {@code bn1},
 * {@code relu}, {@code conv2}, {@code bn2}, {@code downsample}). Convolution weights are drawn Kaiming-normal
 * (fan-out, ReLU gain) and BatchNorm starts at weight 1, bias 0, as torchvision initialises its ResNets.
 */
public final class BasicBlock extends Layer {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /**
     * @param inPlanes  input channels
     * @param planes    output channels
     * @param stride    stride of the first convolution (and of the shortcut)
     * @param batchNorm whether to normalise after each convolution
     * @param rng       draws the initial weights
     */
    public BasicBlock(int inPlanes, int planes, int stride, boolean batchNorm, Rng rng) {
        this.conv1 = registerModule("conv1", conv(inPlanes, planes, 3, stride, 1, !batchNorm, rng));
        this.bn1 = batchNorm ? registerModule("bn1", new BatchNorm2d(planes)) : null;
        this.relu = registerModule("relu", new ReLU());
        this.conv2 = registerModule("conv2", conv(planes, planes, 3, 1, 1, !batchNorm, rng));
        this.bn2 = batchNorm ? registerModule("bn2", new BatchNorm2d(planes)) : null;
        if (stride != 1 || inPlanes != planes) {
            Conv2d projection = conv(inPlanes, planes, 1, stride, 0, !batchNorm, rng);
            this.downsample = registerModule("downsample", batchNorm
                    ? new Sequential(projection, new BatchNorm2d(planes))
                    : new Sequential(projection));
        } else {
            this.downsample = null;
        }
    }

    /** A convolution initialised Kaiming-normal (fan-out, ReLU), as torchvision's ResNet. */
    static Conv2d conv(int in, int out, int kernel, int stride, int padding, boolean bias, Rng rng) {
        Conv2d c = new Conv2d(in, out, kernel, stride, padding, 1, 1, bias, rng);
        Init.kaimingNormal_(c.weight().value(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, rng);
        return c;
    }

    /** The block applied to [N, inPlanes, H, W], giving [N, planes, H / stride, W / stride]. */
    @Override
    public Variable forward(Variable input) {
        Variable out = relu.forward(norm(bn1, conv1.forward(input)));
        out = norm(bn2, conv2.forward(out));
        Variable shortcut = downsample == null ? input : downsample.forward(input);
        return relu.forward(out.add(shortcut));
    }

    private static Variable norm(BatchNorm2d bn, Variable x) {
        return bn == null ? x : bn.forward(x);
    }
}
