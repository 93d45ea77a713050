package io.moezoo.recipes.timeseries;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.moezoo.models.timeseries.TimeMoeBlockFactory;
import io.moezoo.models.timeseries.TimeMoeSpec;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslatorFactory;
import io.moezoo.zoo.ZooCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The model card of the Time-MoE artifact: {@code card.json} (metrics in domain and zero-shot,
 * per-series tables) and the {@code README.md} beside the weights, written from a training report.
 */
final class TimeMoeCard {

    private TimeMoeCard() {}

    /** A forecaster scored on the card: its key in card.json, its label and its scores. */
    private record Method(
            String key,
            String label,
            ToDoubleFunction<SeriesScore> mase,
            ToDoubleFunction<SeriesScore> smape) {}

    private static final List<Method> METHODS =
            List.of(
                    new Method("model", "model", SeriesScore::maseModel, SeriesScore::smapeModel),
                    new Method("naive", "naive", SeriesScore::maseNaive, SeriesScore::smapeNaive),
                    new Method(
                            "seasonal_naive",
                            "seasonal naive",
                            SeriesScore::maseSeasonalNaive,
                            SeriesScore::smapeSeasonalNaive),
                    new Method("ets", "ETS", SeriesScore::maseEts, SeriesScore::smapeEts),
                    new Method("theta", "Theta", SeriesScore::maseTheta, SeriesScore::smapeTheta),
                    new Method("arima", "ARIMA", SeriesScore::maseArima, SeriesScore::smapeArima));

    private static JsonArray table(ForecastEvaluation evaluation) {
        JsonArray rows = new JsonArray();
        for (SeriesScore s : evaluation.scores()) {
            JsonObject row = new JsonObject();
            row.addProperty("series", s.name());
            row.addProperty("freq", s.freq());
            row.addProperty("candidate_period", s.candidatePeriod());
            row.addProperty("season", s.season());
            row.addProperty("horizon", s.horizon());
            row.addProperty("ets_model", s.etsModel());
            for (Method m : METHODS) {
                row.addProperty("mase_" + m.key(), m.mase().applyAsDouble(s));
            }
            for (Method m : METHODS) {
                row.addProperty("smape_" + m.key(), m.smape().applyAsDouble(s));
            }
            rows.add(row);
        }
        return rows;
    }

    private static void addMetrics(JsonObject metrics, String prefix, ForecastEvaluation e) {
        for (Method m : METHODS) {
            metrics.addProperty(prefix + "geomean_mase_" + m.key(), e.geoMeanMase(m.mase()));
        }
        for (Method m : METHODS) {
            metrics.addProperty(prefix + "mean_smape_" + m.key(), e.meanSmape(m.smape()));
        }
        metrics.addProperty(
                prefix + "mase_ratio_model_over_seasonal_naive",
                e.geoMeanMaseModel() / e.geoMeanMaseSeasonalNaive());
        metrics.addProperty(
                prefix + "mase_ratio_model_over_ets", e.geoMeanMaseModel() / e.geoMeanMaseEts());
    }

    /** How the baselines and the season are computed (card.json {@code baselines}, README). */
    static final String BASELINES =
            "Season m per series from its history: the natural period of the frequency (12"
                    + " monthly, 7 daily, 24 hourly, 1 yearly) if the lag-m autocorrelation of the"
                    + " first differences exceeds 1.645 sqrt((1 + 2 sum_{k<m} r_k^2)/n) (the"
                    + " M4/forecast::thetaf test, on differences so that trends do not pass as"
                    + " seasons), else 1; m is the season of seasonal naive, of ETS, Theta and ARIMA"
                    + " and of the MASE scale. ETS: additive-error ETS (ANN, AAN, AAdN, and ANA, AAA, AAdA"
                    + " when m > 1) by maximum likelihood (Nelder-Mead), the smallest AICc kept."
                    + " Theta: forecast::thetaf (multiplicative classical decomposition when m > 1,"
                    + " SES plus half the OLS drift). ARIMA: forecast::auto.arima's stepwise search"
                    + " with conditional-sum-of-squares fits (D = 1 when m > 1 and the classical"
                    + " seasonal strength exceeds 0.64, d by KPSS tests, AICc). Cross-checked"
                    + " against R forecast 8.20 by recipes/src/test/r/baseline-fixture.R"
                    + " (BaselineFixtureTest) and arima-fixture.R (ArimaFixtureTest).";

    /**
     * How the recipe was chosen ({@link TimeMoeValidation}): trained without the last two horizons
     * of each vega training series and the last four of each R series, scored on the window just
     * before each vega test tail (32 windows) and on the fourth window from the end of each R
     * series (89 scorable; the three after it are the forecast mixture's). Per row: recipe,
     * geometric-mean MASE of the network on the vega and on the R windows, in the order tried. Seed
     * 42, 6,000 steps and Time-MoE's head rule unless the row says otherwise.
     */
    static final String[][] RECIPE_SELECTION = {
        {"1,500 steps, the 32 vega training series only (the 0.1.0 recipe)", "3.4313", "2.9234"},
        {"3,000 steps, half of each batch from 2,000 KernelSynth series", "2.6316", "2.3787"},
        {"3,000 steps, half of each batch from 5,000 KernelSynth series", "2.9248", "2.6005"},
        {"half of each batch from 5,000 KernelSynth series (the 0.2.0 recipe)", "2.5739", "2.3822"},
        {"3,000 steps, 2,000 KernelSynth series, seed 43", "3.1775", "2.3827"},
        {"the 0.2.0 recipe, seed 43", "3.2232", "2.4646"},
        {"the 0.2.0 recipe plus R's series", "3.6421", "2.3881"},
        {"vega and R's series, no synthetic series", "2.8766", "2.4432"},
        {"vega and R's series, no synthetic series, last-value skip", "3.2466", "2.3371"},
        {"vega, R and 5,000 KernelSynth series, last-value skip", "2.9765", "2.3590"},
        {"the same plus MASE-scaled window weights", "2.9476", "2.2103"},
        {"the same without synthetic series", "2.7496", "2.4021"},
        {"0.1.0 recipe, shortest covering head", "3.3980", "2.6666"},
        {"3,000 steps + 2,000 KernelSynth, shortest covering head", "2.6158", "2.3190"},
        {"3,000 steps + 5,000 KernelSynth, shortest covering head", "2.7210", "2.4489"},
        {"0.2.0 recipe, shortest covering head", "2.4811", "2.2976"},
        {"3,000 steps + 2,000 KernelSynth, seed 43, shortest covering head", "2.8215", "2.2564"},
        {"0.2.0 recipe, seed 43, shortest covering head", "2.8915", "2.3287"},
        {"0.2.0 recipe plus R's series, shortest covering head", "3.3034", "2.2386"},
        {"vega and R, no synthetic, shortest covering head", "3.2279", "2.2896"},
        {"vega and R, no synthetic, skip, shortest covering head", "3.0753", "2.1055"},
        {"vega, R, KernelSynth, skip, shortest covering head", "2.7617", "2.1459"},
        {"the same, heads shrunk x0.5", "2.6884", "2.0589"},
        {"vega, R, KernelSynth, skip, MASE weights, shortest covering head", "2.7164", "2.0695"},
        {"the same, heads shrunk x0.5", "2.6787", "2.0711"},
        {"the same, heads shrunk x0.75", "2.6671", "2.0747"},
        {"vega and R, skip, MASE weights, covering head, no synthetic", "2.5748", "2.3516"},
        {"vega, R, KernelSynth, skip, MASE weights, covering head, seed 43", "2.9096", "2.3434"},
        {"the same (seed 43), heads shrunk x0.5", "2.8055", "2.2163"},
        {"the same (seed 43), heads shrunk x0.25", "2.8199", "2.1421"},
        {
            "vega, R, KernelSynth, skip, MASE weights, covering head, heads shrunk x0.25",
            "2.7600",
            "2.0677"
        },
        {"vega, R, KernelSynth, skip, covering head, heads shrunk x0.25", "2.7296", "2.0680"},
        {
            "vega, R, KernelSynth, skip, MASE weights, 12,000 steps (Time-MoE heads)",
            "2.7215",
            "2.0569"
        },
        {"the same, shortest covering head (chosen; context 128)", "2.5179", "1.9328"},
        {"the same (12,000 steps, covering head), heads shrunk x0.5", "2.6867", "1.9766"},
        {"the chosen model forecasting from the last 96 values", "2.4528", "1.9402"},
        {"the chosen model forecasting from the last 64 values (chosen)", "2.3946", "1.9666"},
        {"the chosen model forecasting from the last 48 values", "2.8596", "2.2786"},
    };

    /** Geometric-mean MASE of naive and ETS on the vega and the R validation windows. */
    static final double[] VALIDATION_NAIVE = {2.8634, 2.0655};

    static final double[] VALIDATION_ETS = {2.1375, 1.4079};

    /** The command that retrains the artifact. */
    static final String COMMAND =
            "tools/r-series.sh && " + ZooCatalog.retrainCommand("time-moe-vega");

    static void write(Path dir, TimeMoeSpec spec, TimeMoeTraining.Report r) throws IOException {
        JsonObject card = new JsonObject();
        card.addProperty("artifactId", TimeMoeTraining.ARTIFACT_ID);
        card.addProperty("application", "timeseries/forecasting");
        JsonObject metrics = new JsonObject();
        addMetrics(metrics, "", r.inDomain());
        addMetrics(metrics, "zero_shot_", r.zeroShot());
        card.add("metrics", metrics);
        JsonObject tolerance = new JsonObject();
        for (String name : metrics.keySet()) {
            tolerance.addProperty(name, name.contains("smape") ? 0.05 : 0.002);
        }
        card.add("tolerance", tolerance);
        card.addProperty(
                "toleranceNote",
                "absolute; the metrics are measured on the shipped F16 weights loaded through"
                        + " Criteria, so only CPU floating-point nondeterminism remains; the"
                        + " baselines (io.moezoo.recipes.timeseries.baseline) are deterministic");
        card.addProperty("baselines", BASELINES);
        card.add("perSeries", table(r.inDomain()));
        card.add("zeroShotPerSeries", table(r.zeroShot()));
        card.addProperty(
                "data",
                "npm vega-datasets: 32 training series (their last H values held out and"
                        + " forecast), 21 zero-shot series never trained on; see"
                        + " io.moezoo.recipes.timeseries.VegaCatalog. Plus R's bundled series"
                        + " (tools/r-series.sh: R datasets, forecast, AER, tseries, MASS, boot;"
                        + " statsmodels' data sets left out) without their last "
                        + TimeMoeTraining.R_TAILS
                        + " horizons, and "
                        + TimeMoeTraining.SYNTHETIC
                        + " synthetic KernelSynth series (Gaussian-process kernel compositions as in"
                        + " Chronos, io.moezoo.recipes.timeseries.mixture.KernelSynth, length 256,"
                        + " seeded), half of each batch");
        JsonArray selection = new JsonArray();
        for (String[] row : RECIPE_SELECTION) {
            JsonObject o = new JsonObject();
            o.addProperty("recipe", row[0]);
            o.addProperty("validation_geomean_mase_model", Double.parseDouble(row[1]));
            o.addProperty("validation_geomean_mase_naive", VALIDATION_NAIVE[0]);
            o.addProperty("validation_geomean_mase_ets", VALIDATION_ETS[0]);
            o.addProperty("r_validation_geomean_mase_model", Double.parseDouble(row[2]));
            o.addProperty("r_validation_geomean_mase_naive", VALIDATION_NAIVE[1]);
            o.addProperty("r_validation_geomean_mase_ets", VALIDATION_ETS[1]);
            selection.add(o);
        }
        card.add("recipesTried", selection);
        card.addProperty(
                "recipe",
                String.format(
                        Locale.ROOT,
                        "%d AdamW steps x %d sliding windows (L in %s), per-window instance"
                                + " normalisation, Huber(delta=%.0f) averaged over heads %s, each"
                                + " window weighted by 1 / mean |step| of its normalised input"
                                + " (clipped to [0.2, 5], so errors count as MASE counts them) +"
                                + " %.2f x load balancing; lr 1e-3 warm-up 100, cosine to 1e-4,"
                                + " weight decay 0.1; heads add the last input value (last-value"
                                + " skip); forecasts use the shortest head covering the horizon;"
                                + " final training loss %.4f; %.0f s",
                        r.steps(),
                        TimeMoeTraining.BATCH,
                        Arrays.toString(TimeMoeTraining.WINDOWS),
                        spec.huberDelta(),
                        Arrays.toString(spec.horizonLengths()),
                        spec.routerAuxLossFactor(),
                        r.finalLoss(),
                        r.seconds()));
        card.addProperty("seed", r.seed());
        card.addProperty("totalParameters", r.totalParameters());
        card.addProperty("activatedParameters", r.activatedParameters());
        card.addProperty("command", COMMAND);
        JsonObject arguments = new JsonObject();
        arguments.addProperty("blockFactory", TimeMoeBlockFactory.class.getName());
        arguments.addProperty(
                "translatorFactory", TimeMoeForecastTranslatorFactory.class.getName());
        arguments.addProperty("prediction_length", 12);
        arguments.addProperty("context_length", TimeMoeTraining.CONTEXT);
        // Horizons up to the model's own context stay accepted (longer ones than the covering
        // head's are rolled out), as before the shorter forecasting context was chosen.
        arguments.addProperty("max_prediction_length", spec.contextLength());
        arguments.addProperty("min_context_length", 8);
        arguments.addProperty("freq", "M");
        arguments.addProperty("head_selection", TimeMoeTraining.HEAD_SELECTION.argument());
        card.add("arguments", arguments);
        Files.writeString(
                dir.resolve("card.json"),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(card)
                        + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("README.md"), readme(spec, r), StandardCharsets.UTF_8);
    }

    private static String readme(TimeMoeSpec spec, TimeMoeTraining.Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# time-moe-vega ").append(TimeMoeTraining.VERSION).append("\n\n");
        s.append(
                        "A small Time-MoE-style decoder-only forecaster (point tokens, SwiGLU point embedding,"
                                + " RMSNorm, RoPE causal attention, MoE FFN with softmax top-2 of 8 experts"
                                + " without renormalisation plus a sigmoid-gated shared expert,"
                                + " multi-resolution heads ")
                .append(Arrays.toString(spec.horizonLengths()))
                .append(
                        ") trained from scratch on real series of the npm package vega-datasets and"
                                + " of R's bundled packages, and "
                                + TimeMoeTraining.SYNTHETIC
                                + " synthetic KernelSynth series. Its heads forecast a correction"
                                + " of the last value (last-value skip), and a forecast uses the"
                                + " shortest head that covers the horizon in one pass.\n\n");
        s.append(
                String.format(
                        Locale.ROOT,
                        "- Parameters: %,d total, %,d activated per token%n- Spec: `model.json`"
                                + " (hidden %d, %d layers, %d heads, context %d)%n- Seed %d, %d"
                                + " steps, %.0f s on a shared 2-core CPU%n%n",
                        r.totalParameters(),
                        r.activatedParameters(),
                        spec.hiddenSize(),
                        spec.numHiddenLayers(),
                        spec.numAttentionHeads(),
                        spec.contextLength(),
                        r.seed(),
                        r.steps(),
                        r.seconds()));
        s.append("## Data\n\n");
        s.append(
                "Training series (32; the last H values of each are never trained on and are the"
                        + " in-domain test): co2-concentration CO2; 10 industries of"
                        + " unemployment-across-industries; 11 columns of us-employment; stocks MSFT,"
                        + " AMZN, IBM, GOOG; seattle-weather temp_max, temp_min, wind;"
                        + " seattle-weather-hourly-normals temperature, pressure, wind.\n\n"
                        + "Zero-shot series (21, never trained on): sp500, global-temp, weather.csv"
                        + " New York temp_max/temp_min/wind (unseen files); stocks AAPL, 4 further"
                        + " industries, 11 further us-employment columns (unseen entities of"
                        + " training files). Horizons: 12 monthly, 14 daily, 48 hourly, 10"
                        + " yearly.\n\n");
        s.append(
                String.format(
                        Locale.ROOT,
                        "Recipe selection (validation: trained without the last two horizons of"
                                + " each vega training series and the last four of each R series,"
                                + " scored on the window just before each vega test tail and on"
                                + " the fourth window from the end of each R series; geometric-mean"
                                + " MASE; naive %.4f / %.4f, ETS %.4f / %.4f; seed 42, 6,000 steps"
                                + " and Time-MoE's head rule unless said). Each row is `java"
                                + " io.moezoo.recipes.timeseries.TimeMoeValidation SEED STEPS"
                                + " SYNTHETIC DIR` with `--r-series target/r-series.tsv` where R's"
                                + " series train and `--last-value-skip`, `--mase-weights` as named,"
                                + " then the same with `--evaluate-only --r-series"
                                + " target/r-series.tsv` and `--time-moe-heads`, `--head-scale F` or"
                                + " `--context N` as named (this scores the R windows of models"
                                + " trained without them). Rows are chosen by the geometric mean of"
                                + " the two columns:%n%n| recipe tried |"
                                + " vega (32) | R (89) |%n|---|---:|---:|%n",
                        VALIDATION_NAIVE[0],
                        VALIDATION_NAIVE[1],
                        VALIDATION_ETS[0],
                        VALIDATION_ETS[1]));
        for (String[] row : RECIPE_SELECTION) {
            s.append("| ")
                    .append(row[0])
                    .append(" | ")
                    .append(row[1])
                    .append(" | ")
                    .append(row[2])
                    .append(" |\n");
        }
        s.append("\n## Metrics\n\n");
        s.append(
                "MASE (scale: in-sample seasonal-naive MAE with the series' season m over the whole"
                        + " history before the tail) and sMAPE (percent, M4 definition). Geometric"
                        + " mean of MASE over series, arithmetic mean of sMAPE.\n\n");
        s.append("Baselines: ").append(BASELINES).append("\n\n");
        s.append("| set | MASE ").append(labels()).append(" | model / ETS | sMAPE ");
        s.append(labels()).append(" |\n|---|").append("---:|".repeat(2 * METHODS.size() + 1));
        s.append("\n");
        row(s, "held-out tails (" + r.inDomain().scores().size() + ")", r.inDomain());
        row(s, "zero-shot (" + r.zeroShot().scores().size() + ")", r.zeroShot());
        s.append("\n");
        s.append(wins("held-out tails", r.inDomain()))
                .append(wins("zero-shot series", r.zeroShot()));
        s.append(seasons(r.inDomain(), r.zeroShot()));
        s.append(
                "\n### Per series\n\n| set | series | m | ETS model | MASE "
                        + labels()
                        + " | sMAPE "
                        + labels()
                        + " |\n|---|---|---:|---|"
                        + "---:|".repeat(2 * METHODS.size())
                        + "\n");
        perSeries(s, "train tail", r.inDomain());
        perSeries(s, "zero-shot", r.zeroShot());
        s.append("\n## Inference\n\n");
        s.append(
                "`Criteria` with `blockFactory` = `"
                        + TimeMoeBlockFactory.class.getName()
                        + "`, `translatorFactory` = `"
                        + TimeMoeForecastTranslatorFactory.class.getName()
                        + "`, `prediction_length`, `context_length` = "
                        + TimeMoeTraining.CONTEXT
                        + " (the model trains on windows of "
                        + spec.contextLength()
                        + " values; forecasting from the last "
                        + TimeMoeTraining.CONTEXT
                        + " was better on validation), `head_selection` = `"
                        + TimeMoeTraining.HEAD_SELECTION.argument()
                        + "`, option `hasParameter=false`. Input `TimeSeriesData` (TARGET = context),"
                        + " output `PointForecast` (mean = point forecast; quantiles from a heuristic"
                        + " Gaussian band sigma_1 * sqrt(step) where sigma_1 is the RMS one-step error"
                        + " over the context). The context is standardised with its own mean and"
                        + " (unbiased) std; the forecast comes from the shortest head that covers the"
                        + " horizon in one pass (its first H values); longer horizons are rolled out"
                        + " with the longest head, each step seeing only the last context_length"
                        + " values of the growing sequence.\n\n");
        s.append("## Command\n\n```\n").append(COMMAND).append("\n```\n");
        return s.toString();
    }

    private static String wins(String set, ForecastEvaluation e) {
        StringBuilder s = new StringBuilder();
        s.append("- ").append(set).append(": the model's MASE is lower than");
        for (int i = 1; i < METHODS.size(); i++) {
            Method m = METHODS.get(i);
            long wins =
                    e.scores().stream()
                            .filter(x -> x.maseModel() < m.mase().applyAsDouble(x))
                            .count();
            s.append(i == 1 ? " " : i == METHODS.size() - 1 ? " and " : ", ")
                    .append(m.label())
                    .append(String.format(Locale.ROOT, " on %d of %d", wins, e.scores().size()));
        }
        return s.append(".\n").toString();
    }

    private static String seasons(ForecastEvaluation... sets) {
        int seasonal = 0;
        int candidates = 0;
        for (ForecastEvaluation e : sets) {
            for (SeriesScore x : e.scores()) {
                candidates += x.candidatePeriod() > 1 ? 1 : 0;
                seasonal += x.season() > 1 ? 1 : 0;
            }
        }
        return String.format(
                Locale.ROOT,
                "- Seasons: %d of the %d series with a candidate period > 1 are judged seasonal.%n",
                seasonal,
                candidates);
    }

    /** The methods' labels as table cells: {@code model | naive | ... }. */
    private static String labels() {
        StringBuilder s = new StringBuilder();
        for (Method m : METHODS) {
            s.append(s.length() == 0 ? "" : " | ").append(m.label());
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String name, ForecastEvaluation e) {
        s.append("| ").append(name);
        for (Method m : METHODS) {
            s.append(String.format(Locale.ROOT, " | %.3f", e.geoMeanMase(m.mase())));
        }
        s.append(String.format(Locale.ROOT, " | %.3f", e.geoMeanMaseModel() / e.geoMeanMaseEts()));
        for (Method m : METHODS) {
            s.append(String.format(Locale.ROOT, " | %.2f", e.meanSmape(m.smape())));
        }
        s.append(" |\n");
    }

    private static void perSeries(StringBuilder s, String set, ForecastEvaluation e) {
        for (SeriesScore x : e.scores()) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %s",
                            set,
                            x.name(),
                            x.season(),
                            x.etsModel()));
            for (Method m : METHODS) {
                s.append(String.format(Locale.ROOT, " | %.3f", m.mase().applyAsDouble(x)));
            }
            for (Method m : METHODS) {
                s.append(String.format(Locale.ROOT, " | %.2f", m.smape().applyAsDouble(x)));
            }
            s.append(" |\n");
        }
    }
}
