package io.moezoo.models.vision;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * The convolutional stem of a hybrid ViT: per stage a 3×3 convolution (padding 1, no bias),
 * BatchNorm, ReLU and 2×2 max pooling (left out in the last {@code unpooled} stages), so {@code [B,
 * C, S, S]} becomes {@code [B, c_n, S/2^m, S/2^m]} with m = n − unpooled. The patch embedding then
 * cuts its patches from this feature map. Convolutions give the model the locality and translation
 * equivariance that a small ViT trained from scratch on a small data set otherwise has to learn
 * (Dosovitskiy et al. 2021, "hybrid architecture"; Xiao et al. 2021, "Early convolutions help
 * transformers see better").
 */
public final class ConvStem {

    private ConvStem() {}

    /**
     * Builds the (uninitialised) stem.
     *
     * @param widths the output channels of each stage, in order (not empty)
     * @param unpooled how many of the last stages have no max pooling (0 to n)
     * @return the block: {@code [B, C, S, S]} to {@code [B, widths[n-1], S/2^m, S/2^m]}, m = n −
     *     unpooled
     */
    public static SequentialBlock build(List<Integer> widths, int unpooled) {
        if (widths.isEmpty()) {
            throw new IllegalArgumentException("A stem needs at least one stage");
        }
        if (unpooled < 0 || unpooled > widths.size()) {
            throw new IllegalArgumentException(
                    "A stem of "
                            + widths.size()
                            + " stages cannot leave "
                            + unpooled
                            + " unpooled");
        }
        return addStages(new SequentialBlock(), widths, widths.size() - unpooled);
    }

    /**
     * Appends the stem's stages to a sequential block (so a CNN can be the stem plus a head).
     *
     * @param net the block to extend
     * @param widths the output channels of each stage, in order
     * @param pooled how many of the first stages end with 2×2 max pooling
     * @return {@code net}
     */
    public static SequentialBlock addStages(SequentialBlock net, List<Integer> widths, int pooled) {
        for (int s = 0; s < widths.size(); s++) {
            int c = widths.get(s);
            net.add(
                            Conv2d.builder()
                                    .setKernelShape(new Shape(3, 3))
                                    .optPadding(new Shape(1, 1))
                                    .setFilters(c)
                                    .optBias(false)
                                    .build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
            if (s < pooled) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        return net;
    }

    /**
     * Counts the stem's trained parameters: {@code 9·c_in·c_out} per convolution and a BatchNorm
     * scale and shift per output channel (the running statistics are not trained).
     *
     * @param inputChannels C
     * @param widths the stage widths (may be empty: 0 parameters)
     * @return the count
     */
    public static long trainableParameters(int inputChannels, List<Integer> widths) {
        long n = 0;
        int in = inputChannels;
        for (int c : widths) {
            n += 9L * in * c + 2L * c;
            in = c;
        }
        return n;
    }
}
