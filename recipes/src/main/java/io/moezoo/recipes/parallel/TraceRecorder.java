package io.moezoo.recipes.parallel;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.layer.BlockTree;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.layer.RoutingStatistics;
import io.moezoo.models.vision.PatchRouting;
import io.moezoo.models.vision.VisionMoeTransformer;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.recipes.language.BrownLanguageModels;
import io.moezoo.recipes.timeseries.VegaCatalog;
import io.moezoo.recipes.timeseries.VegaSeries;
import io.moezoo.recipes.vision.FashionMnist;
import io.moezoo.translators.text.SequenceScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Records routing traces from the zoo models, loaded through {@code Criteria} (so whatever shape
 * the shipped artifact has, its MoE layers are found with {@link BlockTree}): {@code brown-moe} on
 * 128-token windows of the held-out Brown split, {@code vit-moe-fashion-mnist} on the official test
 * images, {@code time-moe-vega} on 128-point context windows of the vega series.
 */
public final class TraceRecorder {

    private static final String GROUP = "io.moezoo";

    private TraceRecorder() {}

    /**
     * Records the {@code brown-moe} trace: the first {@code windows} consecutive 128-token windows
     * of the held-out split (every 10th Brown file), 32 windows per forward pass.
     *
     * @param windows the windows (sequences) to record
     * @return the trace
     * @throws Exception if the model or data cannot be loaded
     */
    public static RoutingTrace brown(int windows) throws Exception {
        long[] heldOut = BrownLanguageModels.tokenize(DataSets.brownJsonl()).test();
        int length = BrownLanguageModels.RECIPE.sequence();
        windows = Math.min(windows, heldOut.length / length);
        try (ZooModel<String, SequenceScore> model =
                        Criteria.builder()
                                .setTypes(String.class, SequenceScore.class)
                                .optGroupId(GROUP)
                                .optArtifactId("brown-moe")
                                .build()
                                .loadModel();
                NDManager manager = NDManager.newBaseManager()) {
            List<MoeLayer> layers = BlockTree.find(model.getBlock(), MoeLayer.class);
            List<RoutingTrace.Sequence> sequences = new ArrayList<>();
            int batch = 32;
            for (int from = 0; from < windows; from += batch) {
                int n = Math.min(batch, windows - from);
                long[] ids = new long[n * length];
                System.arraycopy(heldOut, from * length, ids, 0, n * length);
                try (NDManager scope = manager.newSubManager()) {
                    model.getBlock()
                            .forward(
                                    new ParameterStore(scope, false),
                                    new NDList(scope.create(ids, new Shape(n, length))),
                                    false);
                }
                sequences.addAll(split(layers, n, length, null));
            }
            return trace(
                    model,
                    "brown-moe",
                    "held-out Brown split (every 10th file), consecutive 128-token windows from"
                            + " its start; dropless routing",
                    layers,
                    sequences);
        }
    }

    /**
     * Records the {@code vit-moe-fashion-mnist} trace over the first {@code images} official test
     * images, 64 per batch, one sequence per image. A model that exposes its routing before the
     * capacity limit ({@link VisionMoeTransformer#getLastRouting()}) is recorded before it;
     * otherwise the layers' statistics (after any capacity limit) are recorded, and the trace's
     * source says which.
     *
     * @param images the images to record
     * @return the trace
     * @throws Exception if the model or data cannot be loaded
     */
    public static RoutingTrace vision(int images) throws Exception {
        FashionMnist test = FashionMnist.load(FashionMnist.Split.TEST);
        images = Math.min(images, test.count());
        try (ZooModel<Image, Classifications> model =
                        Criteria.builder()
                                .setTypes(Image.class, Classifications.class)
                                .optGroupId(GROUP)
                                .optArtifactId("vit-moe-fashion-mnist")
                                .build()
                                .loadModel();
                Predictor<Image, Classifications> predictor = model.newPredictor()) {
            List<MoeLayer> layers = BlockTree.find(model.getBlock(), MoeLayer.class);
            List<VisionMoeTransformer> vits =
                    BlockTree.find(model.getBlock(), VisionMoeTransformer.class);
            boolean beforeCapacity = vits.size() == 1;
            long[] dropped = new long[layers.size()];
            long[] assigned = new long[layers.size()];
            List<RoutingTrace.Sequence> sequences = new ArrayList<>();
            int batch = 64;
            for (int from = 0; from < images; from += batch) {
                int n = Math.min(batch, images - from);
                List<Image> input = new ArrayList<>();
                for (int i = from; i < from + n; i++) {
                    input.add(test.image(i));
                }
                predictor.batchPredict(input);
                int[][] choices = null;
                if (beforeCapacity) {
                    List<PatchRouting> r = vits.get(0).getLastRouting();
                    if (r.size() == layers.size()) {
                        choices = new int[r.size()][];
                        for (int l = 0; l < r.size(); l++) {
                            choices[l] = r.get(l).choices();
                        }
                    } else {
                        beforeCapacity = false;
                    }
                }
                for (int l = 0; l < layers.size(); l++) {
                    RoutingStatistics stats = layers.get(l).getLastStatistics();
                    dropped[l] += stats.droppedAssignments();
                    assigned[l] += stats.slotExperts().length;
                }
                int tokens = layers.get(0).getLastStatistics().tokens() / n;
                sequences.addAll(split(layers, n, tokens, beforeCapacity ? choices : null));
            }
            StringBuilder own = new StringBuilder();
            for (int l = 0; l < layers.size(); l++) {
                own.append(l == 0 ? "" : ", ")
                        .append(
                                String.format(
                                        Locale.ROOT, "%.1f%%", 100.0 * dropped[l] / assigned[l]));
            }
            return trace(
                    model,
                    "vit-moe-fashion-mnist",
                    "official Fashion-MNIST test images from the first, one sequence per image; "
                            + (beforeCapacity
                                    ? "choices before the model's own capacity limit"
                                    : "choices after the model's own capacity limit")
                            + "; that limit (per image) dropped "
                            + own
                            + " of the slots per layer",
                    layers,
                    sequences);
        }
    }

    /**
     * Records the {@code time-moe-vega} trace: 128-point context windows (the model's context) at a
     * stride of 32 over every training and zero-shot vega series long enough, one forward pass (a
     * one-step forecast) per window, up to {@code windows} windows.
     *
     * @param windows the windows to record at most
     * @return the trace
     * @throws Exception if the model or data cannot be loaded
     */
    public static RoutingTrace timeSeries(int windows) throws Exception {
        int context = 128;
        int stride = 32;
        List<float[]> contexts = new ArrayList<>();
        List<VegaSeries> series = new ArrayList<>(VegaCatalog.training());
        series.addAll(VegaCatalog.zeroShot());
        for (VegaSeries s : series) {
            float[] values = s.load();
            for (int end = values.length; end >= context; end -= stride) {
                float[] c = new float[context];
                System.arraycopy(values, end - context, c, 0, context);
                contexts.add(c);
            }
        }
        // Every step-th window in catalogue order: the trace's first half (which calibrates the
        // load-aware placements) comes mostly from the training series listed first, the second
        // half (which is replayed) mostly from the zero-shot series.
        List<float[]> picked = new ArrayList<>();
        int step = Math.max(1, contexts.size() / Math.max(1, windows));
        for (int i = 0; i < contexts.size() && picked.size() < windows; i += step) {
            picked.add(contexts.get(i));
        }
        try (ZooModel<TimeSeriesData, Forecast> model =
                        Criteria.builder()
                                .setTypes(TimeSeriesData.class, Forecast.class)
                                .optGroupId(GROUP)
                                .optArtifactId("time-moe-vega")
                                .optArgument("prediction_length", 1)
                                .build()
                                .loadModel();
                Predictor<TimeSeriesData, Forecast> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            List<MoeLayer> layers = BlockTree.find(model.getBlock(), MoeLayer.class);
            List<RoutingTrace.Sequence> sequences = new ArrayList<>();
            for (float[] c : picked) {
                TimeSeriesData input = new TimeSeriesData(1);
                input.add(FieldName.TARGET, manager.create(c));
                predictor.predict(input);
                int tokens = layers.get(0).getLastStatistics().tokens();
                sequences.addAll(split(layers, 1, tokens, null));
            }
            return trace(
                    model,
                    "time-moe-vega",
                    contexts.size()
                            + " windows of 128 points at stride 32 over the vega training and"
                            + " zero-shot series, one in "
                            + step
                            + " taken in catalogue order (training series first); dropless"
                            + " routing",
                    layers,
                    sequences);
        }
    }

    /** Cuts the latest pass of every layer into n sequences of the given token count. */
    private static List<RoutingTrace.Sequence> split(
            List<MoeLayer> layers, int n, int tokens, int[][] before) {
        int slots = -1;
        int[][] all = new int[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            RoutingStatistics stats = layers.get(l).getLastStatistics();
            if (stats.tokens() != n * tokens) {
                throw new IllegalStateException(
                        "layer " + l + " routed " + stats.tokens() + " tokens, not " + n * tokens);
            }
            all[l] = before != null ? before[l] : stats.slotExperts();
            slots = all[l].length / stats.tokens();
        }
        List<RoutingTrace.Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[][] choices = new int[layers.size()][];
            for (int l = 0; l < layers.size(); l++) {
                choices[l] = new int[tokens * slots];
                System.arraycopy(all[l], i * tokens * slots, choices[l], 0, tokens * slots);
            }
            sequences.add(new RoutingTrace.Sequence(tokens, choices));
        }
        return sequences;
    }

    private static RoutingTrace trace(
            ZooModel<?, ?> model,
            String id,
            String source,
            List<MoeLayer> layers,
            List<RoutingTrace.Sequence> sequences) {
        if (layers.isEmpty()) {
            throw new IllegalStateException(id + " has no MoE layer");
        }
        MoeLayer first = layers.get(0);
        int slots = sequences.get(0).choices()[0].length / sequences.get(0).tokens();
        return new RoutingTrace(
                id,
                ArtifactVersion.of(model.getModelPath()),
                source,
                first.getHiddenSize(),
                first.getSpec().router().numExperts(),
                slots,
                layers.size(),
                sequences);
    }
}
