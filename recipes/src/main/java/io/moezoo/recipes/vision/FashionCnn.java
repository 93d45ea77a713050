package io.moezoo.recipes.vision;

import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.moezoo.models.vision.ConvStem;
import java.util.Arrays;

/**
 * The vision family's classical baseline: a small convolutional network at least the size of the
 * {@code vit-moe-fashion-mnist} V-MoE (219,946 parameters), trained with the V-MoE's recipe ({@link
 * CnnBaseline}). Lab code, not shipped.
 *
 * <p>Architecture, input {@code (N, 1, 28, 28)} normalised like the ViT:
 *
 * <ol>
 *   <li>3x3 conv 1→32 (padding 1, no bias), BatchNorm, ReLU, 2x2 max pool → 32x14x14
 *   <li>3x3 conv 32→64 (padding 1, no bias), BatchNorm, ReLU, 2x2 max pool → 64x7x7
 *   <li>3x3 conv 64→128 (padding 1, no bias), BatchNorm, ReLU, 2x2 max pool (floor) → 128x3x3
 *   <li>flatten (1,152), linear 1,152→128, ReLU, linear 128→10 logits
 * </ol>
 *
 * <p>Trainable parameters ({@link #PARAMETERS}): convolutions 9·(1·32 + 32·64 + 64·128) = 92,448;
 * BatchNorm γ and β 2·(32 + 64 + 128) = 448; head 1,152·128 + 128 + 128·10 + 10 = 148,874; total
 * 241,770, 9.9% more than the V-MoE (the plain ViT-MoE it was first measured against had 239,882).
 * Its convolutions are the V-MoE's {@link io.moezoo.models.vision.ConvStem}. BatchNorm's running
 * means and variances (448 more numbers) are statistics, not trained, and are not counted.
 */
public final class FashionCnn {

    /** The convolution widths. */
    public static final int[] CHANNELS = {32, 64, 128};

    /** The width of the hidden dense layer. */
    public static final int HIDDEN = 128;

    /** The trainable parameters, computed by hand (see the class comment). */
    public static final long PARAMETERS =
            9L * (1 * 32 + 32 * 64 + 64 * 128)
                    + 2L * (32 + 64 + 128)
                    + (128L * 3 * 3) * 128
                    + 128
                    + 128L * 10
                    + 10;

    /** The model's name on the card. */
    public static final String NAME = "cnn-fashion-mnist";

    private FashionCnn() {}

    /**
     * Builds the (uninitialised) network.
     *
     * @param classes the number of classes
     * @return the block: {@code (N, 1, 28, 28)} images to {@code (N, classes)} logits
     */
    public static SequentialBlock build(int classes) {
        SequentialBlock net =
                ConvStem.addStages(
                        new SequentialBlock(),
                        Arrays.stream(CHANNELS).boxed().toList(),
                        CHANNELS.length);
        net.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes).build());
        return net;
    }
}
