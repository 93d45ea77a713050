package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.layer.BlockTree;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.models.vision.PatchRouting;
import io.moezoo.models.vision.VisionEncoderBlock;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.models.vision.VisionMoeTransformer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The V-MoE ViT block: patches, placement, pooling, per-image routing, auxiliary losses. */
class VisionMoeTransformerTest {

    private static VisionMoeTransformer init(VisionMoeSpec spec, NDManager m) {
        Engine.getInstance().setRandomSeed(3);
        VisionMoeTransformer block = new VisionMoeTransformer(spec);
        block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return block;
    }

    private static NDArray images(NDManager m, int n, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[n * 784];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return m.create(v, new Shape(n, 1, 28, 28));
    }

    @Test
    void patchifyMatchesLoop() {
        try (NDManager m = NDManager.newBaseManager()) {
            int c = 2;
            int side = 6;
            int p = 3;
            float[] v = new float[2 * c * side * side];
            for (int i = 0; i < v.length; i++) {
                v[i] = i;
            }
            float[] got =
                    VisionMoeTransformer.patchify(m.create(v, new Shape(2, c, side, side)), p)
                            .toFloatArray();
            int grid = side / p;
            float[] expected = new float[v.length];
            int o = 0;
            for (int b = 0; b < 2; b++) {
                for (int gr = 0; gr < grid; gr++) {
                    for (int gc = 0; gc < grid; gc++) {
                        for (int ch = 0; ch < c; ch++) {
                            for (int r = 0; r < p; r++) {
                                for (int col = 0; col < p; col++) {
                                    int y = gr * p + r;
                                    int x = gc * p + col;
                                    expected[o++] = v[((b * c + ch) * side + y) * side + x];
                                }
                            }
                        }
                    }
                }
            }
            assertArrayEquals(expected, got);
        }
    }

    @Test
    void moeSitsInEveryOtherBlock() {
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeTransformer block = init(VisionMoeTraining.moeSpec(), m);
            List<VisionEncoderBlock> blocks = block.getBlocks();
            for (int i = 0; i < blocks.size(); i++) {
                if (i % 2 == 1) {
                    assertNotNull(blocks.get(i).getMoe(), "block " + i + " is MoE");
                } else {
                    assertNull(blocks.get(i).getMoe(), "block " + i + " is dense");
                }
            }
            assertEquals(blocks.size() / 2, BlockTree.find(block, MoeLayer.class).size());
            assertTrue(
                    BlockTree.find(init(VisionMoeTraining.denseSpec(), m), MoeLayer.class)
                            .isEmpty());
        }
    }

    @Test
    void inferenceReturnsLogitsAndRecordsPatchRouting() {
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeSpec spec = VisionMoeTraining.moeSpec();
            VisionMoeTransformer block = init(spec, m);
            NDList out =
                    block.forward(new ParameterStore(m, false), new NDList(images(m, 3, 1)), false);
            assertEquals(1, out.size(), "no auxiliary output at inference");
            assertEquals(new Shape(3, 10), out.head().getShape());
            List<PatchRouting> routing = block.getLastRouting();
            assertEquals(1, routing.size(), "one MoE block (block 1 of 2)");
            // The stem halves 28 three times (28 -> 14 -> 7 -> 3); 1x1 patches: 3 per side.
            int side = 3;
            assertEquals(side, spec.gridSize());
            assertEquals(side * side, spec.numPatches());
            // C = ceil(k·S·cf / E) = ceil(2·9·1.05 / 8) = 3, rounded up to a multiple of 4: 4
            int capacity = (int) Math.ceil(2 * side * side * 1.05 / 8);
            capacity = (capacity + 3) / 4 * 4;
            assertEquals(4, capacity);
            for (PatchRouting r : routing) {
                assertEquals(capacity, r.capacity());
                assertEquals(3, r.numImages());
                for (int image = 0; image < 3; image++) {
                    int[][] grid = r.expertGrid(image, 0);
                    assertEquals(side, grid.length);
                    assertEquals(side, grid[0].length);
                    int[] load = new int[8];
                    for (int slot = 0; slot < 2; slot++) {
                        int[][] kept = r.expertGrid(image, slot);
                        int[][] chosen = r.choiceGrid(image, slot);
                        for (int y = 0; y < side; y++) {
                            for (int x = 0; x < side; x++) {
                                assertTrue(chosen[y][x] >= 0 && chosen[y][x] < 8);
                                assertTrue(kept[y][x] == -1 || kept[y][x] == chosen[y][x]);
                                if (kept[y][x] >= 0) {
                                    load[kept[y][x]]++;
                                }
                            }
                        }
                    }
                    for (int e = 0; e < 8; e++) {
                        assertTrue(
                                load[e] <= capacity,
                                "expert " + e + " over capacity in image " + image);
                    }
                    int[][] first = r.choiceGrid(image, 0);
                    int[][] second = r.choiceGrid(image, 1);
                    for (int y = 0; y < side; y++) {
                        for (int x = 0; x < side; x++) {
                            assertTrue(first[y][x] != second[y][x], "top-2 picks two experts");
                        }
                    }
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> routing.get(0).expertGrid(3, 0));
            assertThrows(IllegalStateException.class, () -> routing.get(0).classTokenExpert(0, 0));
        }
    }

    @Test
    void predictionDoesNotDependOnTheRestOfTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeTransformer block = init(VisionMoeTraining.moeSpec(), m);
            assertEachImageAsAlone(block, images(m, 6, 2), m);
        }
    }

    /** Each image's logits in a batch equal its logits when classified alone. */
    private static void assertEachImageAsAlone(
            VisionMoeTransformer block, NDArray batch, NDManager m) {
        ParameterStore ps = new ParameterStore(m, false);
        float[] together = block.forward(ps, new NDList(batch), false).head().toFloatArray();
        for (int i = 0; i < batch.getShape().get(0); i++) {
            float[] alone =
                    block.forward(ps, new NDList(batch.get(i + ":" + (i + 1))), false)
                            .head()
                            .toFloatArray();
            for (int c = 0; c < 10; c++) {
                assertEquals(together[i * 10 + c], alone[c], 1e-4, "image " + i);
            }
        }
    }

    @Test
    void expertChoiceRoutesWithinEachImageAndTrainsWithoutAuxiliaryLosses() {
        VisionMoeSpec topK = VisionMoeTraining.moeSpec();
        VisionMoeSpec spec =
                VisionMoeTraining.moeSpec(64, 1, 2, 64, VisionMoeTraining.expertChoice(8, 2, 2))
                        .withStem(topK.stemChannels());
        assertEquals(
                "expert_choice",
                spec.router().toJson().replaceAll(".*\"type\":\"([a-z_]+)\".*", "$1"));
        // The same router weights and experts: only the routing rule differs.
        assertEquals(topK.totalParameters(), spec.totalParameters());
        assertEquals(0f, spec.importanceLossWeight());
        assertEquals(0f, spec.loadLossWeight());
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeTransformer block = init(spec, m);
            assertEachImageAsAlone(block, images(m, 5, 3), m);
            NDList trained =
                    block.forward(new ParameterStore(m, false), new NDList(images(m, 2, 4)), true);
            assertEquals(1, trained.size(), "no auxiliary loss without its weights");
        }
    }

    @Test
    void trainingPassAddsTheVmoeAuxiliaryLosses() {
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeTransformer block = init(VisionMoeTraining.moeSpec(), m);
            NDList out =
                    block.forward(new ParameterStore(m, false), new NDList(images(m, 4, 5)), true);
            assertEquals(2, out.size());
            NDArray aux = out.get(MoeLoss.AUX_LOSS);
            float value = aux.getFloat();
            assertTrue(Float.isFinite(value) && value >= 0, "aux loss " + value);
            // importance and load CV² of 8 experts are each at most E - 1 = 7 per layer and group
            // (one MoE layer).
            assertTrue(value <= 2 * 0.005f * 7, "aux loss " + value);
            VisionMoeTransformer dense = init(VisionMoeTraining.denseSpec(), m);
            NDList denseOut =
                    dense.forward(new ParameterStore(m, false), new NDList(images(m, 4, 5)), true);
            assertEquals(1, denseOut.size(), "a dense model has no auxiliary loss");
        }
    }

    @Test
    void classTokenPoolingPrependsOneToken() {
        VisionMoeSpec base = VisionMoeTraining.moeSpec();
        VisionMoeSpec cls =
                new VisionMoeSpec(
                        "cls",
                        28,
                        1,
                        7,
                        64,
                        2,
                        4,
                        128,
                        List.of(1),
                        base.router(),
                        base.experts(),
                        base.dispatch(),
                        VisionMoeSpec.Pooling.CLASS_TOKEN,
                        10,
                        1e-6f,
                        0.005f,
                        0.005f,
                        0.5f,
                        0.5f);
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeTransformer block = init(cls, m);
            NDArray logits =
                    block.forward(new ParameterStore(m, false), new NDList(images(m, 2, 9)), false)
                            .head();
            assertEquals(new Shape(2, 10), logits.getShape());
            PatchRouting r = block.getLastRouting().get(0);
            assertEquals(17, r.tokensPerImage());
            int clsExpert = r.classTokenExpert(1, 0);
            assertEquals(r.experts()[17 * 2], clsExpert);
            // Patch (0, 0) of image 1 is token 18 (after the class token at 17).
            assertEquals(r.experts()[18 * 2], r.expertGrid(1, 0)[0][0]);
        }
    }

    @Test
    void flattenPoolingWithOneRepeatedHeadBlockEqualsScaledMeanPooling() {
        // A flatten head whose weight repeats one [classes, D] block W0 for every position computes
        // Σ_n W0·h_n + b = W0·(N·mean_n h_n) + b: the mean-pooled model with head weight N·W0.
        VisionMoeSpec mean = VisionMoeTraining.moeSpec();
        VisionMoeSpec flat = mean.withPooling(VisionMoeSpec.Pooling.FLATTEN);
        int n = mean.numPatches();
        int d = mean.hiddenSize();
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeTransformer meanBlock = init(mean, m);
            VisionMoeTransformer flatBlock = init(flat, m);
            var meanParams = meanBlock.getParameters();
            var flatParams = flatBlock.getParameters();
            assertEquals(meanParams.size(), flatParams.size());
            for (int i = 0; i < meanParams.size(); i++) {
                NDArray target = flatParams.get(i).getValue().getArray();
                NDArray source = meanParams.get(i).getValue().getArray();
                if (isHeadWeight(flatParams.get(i).getKey())) {
                    NDArray w0 = m.randomNormal(new Shape(mean.numClasses(), d));
                    target.set(NDArrays.concat(repeat(w0, n), 1).toFloatArray());
                    source.set(w0.mul(n).toFloatArray());
                } else {
                    target.set(source.toFloatArray());
                }
            }
            NDArray x = images(m, 3, 21);
            NDArray a =
                    meanBlock.forward(new ParameterStore(m, false), new NDList(x), false).head();
            NDArray b =
                    flatBlock.forward(new ParameterStore(m, false), new NDList(x), false).head();
            assertEquals(new Shape(3, 10), b.getShape());
            assertTrue(a.sub(b).abs().max().getFloat() < 1e-4f, "flatten vs mean·N");
            // With a head that is not position-blind, the two differ.
            NDArray w = flatParams.get(headWeightIndex(flatParams)).getValue().getArray();
            w.set(m.randomNormal(new Shape(mean.numClasses(), (long) n * d)).toFloatArray());
            NDArray c =
                    flatBlock.forward(new ParameterStore(m, false), new NDList(x), false).head();
            assertTrue(a.sub(c).abs().max().getFloat() > 1e-2f);
        }
    }

    /** DJL names a child's parameters with the child's index and name: "06head_weight". */
    private static boolean isHeadWeight(String key) {
        return key.replaceFirst("^\\d+", "").equals("head_weight");
    }

    private static NDList repeat(NDArray a, int times) {
        NDList list = new NDList();
        for (int i = 0; i < times; i++) {
            list.add(a);
        }
        return list;
    }

    private static int headWeightIndex(ai.djl.util.PairList<String, ai.djl.nn.Parameter> ps) {
        for (int i = 0; i < ps.size(); i++) {
            if (isHeadWeight(ps.get(i).getKey())) {
                return i;
            }
        }
        throw new AssertionError("no head_weight");
    }

    @Test
    void rejectsImagesOfTheWrongShape() {
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeTransformer block = init(VisionMoeTraining.moeSpec(), m);
            ParameterStore ps = new ParameterStore(m, false);
            for (Shape bad :
                    new Shape[] {
                        new Shape(1, 1, 27, 28), new Shape(1, 3, 28, 28), new Shape(1, 28, 28)
                    }) {
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> block.forward(ps, new NDList(m.zeros(bad)), false));
                assertTrue(e.getMessage().contains("[B, 1, 28, 28]"), e.getMessage());
            }
        }
    }
}
