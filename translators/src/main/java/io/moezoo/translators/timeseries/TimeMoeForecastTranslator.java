package io.moezoo.translators.timeseries;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code TimeSeriesData -> Forecast} for Time-MoE-style forecasters (see the package documentation
 * for the block protocol).
 *
 * <ol>
 *   <li>The {@link FieldName#TARGET} field is the context: a 1-D series (a {@code [1, n]} array is
 *       accepted as well). Empty, too short (fewer than {@code min_context_length} values) and
 *       NaN/infinite series are rejected with an {@link InvalidSeriesException} that names the
 *       problem.
 *   <li>The last {@code context_length} values are kept and standardised with {@link
 *       InstanceNormalization} (Time-MoE's caller-side normalisation).
 *   <li>The forecast is rolled out with {@link ForecastHeads} and its selection rule (Time-MoE's by
 *       default): each step runs the block on the (normalised) sequence, takes the selected head at
 *       the last position and appends its values. Unlike Time-MoE, whose sequence grows up to 4096
 *       positions, the model sees only the last {@code context_length} values of the growing
 *       sequence, the window it was trained on; the normalisation statistics stay those of the
 *       original context.
 *   <li>The result is a {@link PointForecast} in the series' scale, with a heuristic band from the
 *       one-step errors over the context.
 * </ol>
 *
 * <p>The forecast start is {@link TimeSeriesData#getForecastStartTime()} (may be null).
 *
 * <p>The prediction length is bounded by a maximum, by default the context length: a longer rollout
 * would forecast from nothing but the model's own forecasts, and its cost grows with the length
 * (one forward pass per head step). The bound is checked when the translator is created, before
 * anything is allocated for the forecast.
 */
public final class TimeMoeForecastTranslator
        implements NoBatchifyTranslator<TimeSeriesData, Forecast> {

    /** The name prefix of the block's head outputs: {@code horizon_<h>}. */
    public static final String HEAD_PREFIX = "horizon_";

    private static final String NORMALIZATION = "timemoe.normalization";
    private static final String CONTEXT = "timemoe.context";
    private static final String START = "timemoe.start";

    private final int predictionLength;
    private final int maxPredictionLength;
    private final int contextLength;
    private final int minContextLength;
    private final String freq;
    private final ForecastHeads.Selection headSelection;

    /**
     * Creates the translator; the prediction length may be at most the context length.
     *
     * @param predictionLength the number of values to forecast (&gt; 0, &le; contextLength)
     * @param contextLength the most recent values the model sees (&gt; 0)
     * @param minContextLength the shortest accepted series (≥ 2, ≤ contextLength)
     * @param freq the frequency string carried by the forecast (e.g. "M", "D", "H")
     * @throws IllegalArgumentException if a length is out of range
     */
    public TimeMoeForecastTranslator(
            int predictionLength, int contextLength, int minContextLength, String freq) {
        this(predictionLength, contextLength, minContextLength, freq, contextLength);
    }

    /**
     * Creates the translator.
     *
     * @param predictionLength the number of values to forecast (&gt; 0, &le; maxPredictionLength)
     * @param contextLength the most recent values the model sees (&gt; 0)
     * @param minContextLength the shortest accepted series (≥ 2, ≤ contextLength)
     * @param freq the frequency string carried by the forecast (e.g. "M", "D", "H")
     * @param maxPredictionLength the longest accepted forecast (&gt; 0)
     * @throws IllegalArgumentException if a length is out of range
     */
    public TimeMoeForecastTranslator(
            int predictionLength,
            int contextLength,
            int minContextLength,
            String freq,
            int maxPredictionLength) {
        this(
                predictionLength,
                contextLength,
                minContextLength,
                freq,
                maxPredictionLength,
                ForecastHeads.Selection.TIME_MOE);
    }

    /**
     * Creates the translator with a head selection rule.
     *
     * @param predictionLength the number of values to forecast (&gt; 0, &le; maxPredictionLength)
     * @param contextLength the most recent values the model sees (&gt; 0)
     * @param minContextLength the shortest accepted series (≥ 2, ≤ contextLength)
     * @param freq the frequency string carried by the forecast (e.g. "M", "D", "H")
     * @param maxPredictionLength the longest accepted forecast (&gt; 0)
     * @param headSelection how the heads make the forecast (see {@link ForecastHeads})
     * @throws IllegalArgumentException if a length is out of range or the rule is null
     */
    public TimeMoeForecastTranslator(
            int predictionLength,
            int contextLength,
            int minContextLength,
            String freq,
            int maxPredictionLength,
            ForecastHeads.Selection headSelection) {
        if (headSelection == null) {
            throw new IllegalArgumentException("head_selection is required");
        }
        if (maxPredictionLength <= 0) {
            throw new IllegalArgumentException(
                    "max_prediction_length must be > 0, got " + maxPredictionLength);
        }
        if (predictionLength <= 0 || predictionLength > maxPredictionLength) {
            throw new IllegalArgumentException(
                    "prediction_length must be in 1.."
                            + maxPredictionLength
                            + " (the model's max_prediction_length), got "
                            + predictionLength);
        }
        if (contextLength <= 0 || minContextLength < 2 || minContextLength > contextLength) {
            throw new IllegalArgumentException(
                    "need context_length > 0 and 2 <= min_context_length <= context_length, got "
                            + contextLength
                            + " and "
                            + minContextLength);
        }
        this.predictionLength = predictionLength;
        this.maxPredictionLength = maxPredictionLength;
        this.contextLength = contextLength;
        this.minContextLength = minContextLength;
        this.freq = freq == null ? "D" : freq;
        this.headSelection = headSelection;
    }

    /**
     * Returns the head selection rule.
     *
     * @return the rule
     */
    public ForecastHeads.Selection getHeadSelection() {
        return headSelection;
    }

    /**
     * Returns the prediction length.
     *
     * @return P
     */
    public int getPredictionLength() {
        return predictionLength;
    }

    /**
     * Returns the longest accepted prediction length.
     *
     * @return the maximum of {@link #getPredictionLength()}
     */
    public int getMaxPredictionLength() {
        return maxPredictionLength;
    }

    /**
     * Returns the context length.
     *
     * @return the most recent values the model sees
     */
    public int getContextLength() {
        return contextLength;
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, TimeSeriesData input)
            throws TranslateException {
        if (input == null) {
            throw new InvalidSeriesException("The forecast input is null");
        }
        NDArray target = input.get(FieldName.TARGET);
        if (target == null) {
            throw new InvalidSeriesException("TimeSeriesData has no TARGET field (the context)");
        }
        Shape shape = target.getShape();
        if (shape.dimension() > 2 || (shape.dimension() == 2 && shape.get(0) != 1)) {
            throw new InvalidSeriesException(
                    "TARGET must be a univariate series [n] (or [1, n]), got shape " + shape);
        }
        if (target.getDataType() == DataType.STRING || target.getDataType() == DataType.BOOLEAN) {
            throw new InvalidSeriesException("TARGET must be numeric, got " + target.getDataType());
        }
        float[] values = target.toType(DataType.FLOAT32, false).toFloatArray();
        if (values.length == 0) {
            throw new InvalidSeriesException("TARGET is empty: the series has no values");
        }
        if (values.length < minContextLength) {
            throw new InvalidSeriesException(
                    "TARGET is too short: "
                            + values.length
                            + (values.length == 1 ? " value" : " values")
                            + ", the model needs at least "
                            + minContextLength);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new InvalidSeriesException(
                        "TARGET[" + i + "] is " + values[i] + ": the series must be finite");
            }
        }
        int from = Math.max(0, values.length - contextLength);
        InstanceNormalization norm = InstanceNormalization.of(values, from, values.length);
        float[] z = norm.normalize(values, from, values.length);
        ctx.setAttachment(NORMALIZATION, norm);
        ctx.setAttachment(CONTEXT, z);
        LocalDateTime start = input.getForecastStartTime();
        if (start != null) {
            ctx.setAttachment(START, start);
        }
        return new NDList(ctx.getNDManager().create(z, new Shape(1, z.length)));
    }

    /** {@inheritDoc} */
    @Override
    public Forecast processOutput(TranslatorContext ctx, NDList output) throws TranslateException {
        InstanceNormalization norm = (InstanceNormalization) ctx.getAttachment(NORMALIZATION);
        float[] sequence = (float[]) ctx.getAttachment(CONTEXT);
        Map<Integer, NDArray> heads = heads(output);
        ForecastHeads rule =
                new ForecastHeads(
                        heads.keySet().stream().mapToInt(Integer::intValue).toArray(),
                        headSelection);
        double sigma = oneStepSigma(heads.values().iterator().next(), sequence) * norm.scale();

        Block block = ctx.getModel().getBlock();
        float[] forecast = new float[predictionLength];
        int done = 0;
        while (true) {
            int head = rule.select(predictionLength - done);
            float[] step = heads.get(head).get(new NDIndex("0, -1, :")).toFloatArray();
            int used = Math.min(head, predictionLength - done);
            System.arraycopy(step, 0, forecast, done, used);
            done += used;
            if (done == predictionLength) {
                break;
            }
            sequence = window(sequence, step, used);
            try (NDManager scope = ctx.getNDManager().newSubManager()) {
                NDArray input = scope.create(sequence, new Shape(1, sequence.length));
                NDList next =
                        block.forward(new ParameterStore(scope, false), new NDList(input), false);
                Map<Integer, float[]> last = new LinkedHashMap<>();
                for (Map.Entry<Integer, NDArray> e : heads(next).entrySet()) {
                    last.put(e.getKey(), e.getValue().get(new NDIndex("0, -1, :")).toFloatArray());
                }
                heads = new LinkedHashMap<>();
                for (Map.Entry<Integer, float[]> e : last.entrySet()) {
                    heads.put(
                            e.getKey(),
                            ctx.getNDManager().create(e.getValue(), new Shape(1, 1, e.getKey())));
                }
            }
        }
        return new PointForecast(
                norm.denormalize(forecast),
                sigma,
                (LocalDateTime) ctx.getAttachment(START),
                freq,
                ctx.getPredictorManager());
    }

    /** Appends the first {@code used} values of {@code step} and keeps the last context_length. */
    private float[] window(float[] sequence, float[] step, int used) {
        int total = sequence.length + used;
        int keep = Math.min(total, contextLength);
        float[] out = new float[keep];
        int skip = total - keep;
        for (int i = 0; i < keep; i++) {
            int j = i + skip;
            out[i] = j < sequence.length ? sequence[j] : step[j - sequence.length];
        }
        return out;
    }

    /** RMS of the one-step errors of the first head over the context, in normalised units. */
    private static double oneStepSigma(NDArray firstHead, float[] context) {
        float[] predictions = firstHead.get(new NDIndex("0, :, 0")).toFloatArray();
        double sum = 0;
        int n = 0;
        for (int t = 0; t + 1 < context.length && t < predictions.length; t++) {
            double e = context[t + 1] - predictions[t];
            sum += e * e;
            n++;
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }

    /** The block's head outputs in their order, keyed by length; validates names and shapes. */
    private static Map<Integer, NDArray> heads(NDList output) throws TranslateException {
        Map<Integer, NDArray> heads = new LinkedHashMap<>();
        for (NDArray array : output) {
            String name = array.getName();
            if (name == null || !name.startsWith(HEAD_PREFIX)) {
                throw new TranslateException(
                        "The block output "
                                + name
                                + " is not a forecast head named "
                                + HEAD_PREFIX
                                + "<h>; is this a Time-MoE forecaster?");
            }
            int h;
            try {
                h = Integer.parseInt(name.substring(HEAD_PREFIX.length()));
            } catch (NumberFormatException e) {
                throw new TranslateException("Malformed forecast head name " + name, e);
            }
            Shape shape = array.getShape();
            if (shape.dimension() != 3 || shape.get(0) != 1 || shape.get(2) != h) {
                throw new TranslateException(
                        "Forecast head "
                                + name
                                + " has shape "
                                + shape
                                + ", expected [1, S, "
                                + h
                                + "]");
            }
            heads.put(h, array);
        }
        if (heads.isEmpty()) {
            throw new TranslateException("The block returned no forecast heads");
        }
        return heads;
    }
}
