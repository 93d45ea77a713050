package io.moezoo.recipes.timeseries;

import ai.djl.translate.TranslateException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.models.timeseries.TimeMoeBlockFactory;
import io.moezoo.models.timeseries.TimeMoeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-measures the shipped {@code time-moe-vega} artifact without retraining and rewrites its {@code
 * card.json} and {@code README.md}: the weights are loaded through {@code Criteria}, the model and
 * the baselines are evaluated by {@link ForecastEvaluation}, and the training facts (seed, steps,
 * seconds, final loss, parameter counts) are carried over from the existing card.
 */
public final class TimeMoeReevaluation {

    private static final Pattern STEPS = Pattern.compile("^(\\d+) AdamW steps");
    private static final Pattern LOSS =
            Pattern.compile("final training loss ([0-9.]+); ([0-9.]+) s");

    private TimeMoeReevaluation() {}

    /**
     * Re-evaluates and rewrites the card.
     *
     * @param artifactDir the artifact directory (with model.json, model.safetensors, card.json)
     * @return the report written
     * @throws IOException if the artifact or data cannot be read or the card lacks training facts
     * @throws TranslateException if forecasting fails
     */
    public static TimeMoeTraining.Report reevaluate(Path artifactDir)
            throws IOException, TranslateException {
        JsonObject card =
                JsonParser.parseString(
                                Files.readString(
                                        artifactDir.resolve("card.json"), StandardCharsets.UTF_8))
                        .getAsJsonObject();
        String recipe = card.get("recipe").getAsString();
        Matcher steps = STEPS.matcher(recipe);
        Matcher loss = LOSS.matcher(recipe);
        if (!steps.find() || !loss.find()) {
            throw new IOException(
                    artifactDir.resolve("card.json")
                            + ": its recipe does not state the steps, final loss and seconds: "
                            + recipe);
        }
        TimeMoeSpec spec = TimeMoeBlockFactory.readSpec(artifactDir);
        TimeMoeTraining.CardSets sets =
                TimeMoeTraining.cardSets(artifactDir, TimeMoeTraining.CONTEXT);
        TimeMoeTraining.Report report =
                new TimeMoeTraining.Report(
                        sets.inDomain(),
                        sets.zeroShot(),
                        card.get("totalParameters").getAsLong(),
                        card.get("activatedParameters").getAsLong(),
                        Integer.parseInt(steps.group(1)),
                        card.get("seed").getAsLong(),
                        Double.parseDouble(loss.group(2)),
                        Double.parseDouble(loss.group(1)));
        TimeMoeCard.write(artifactDir, spec, report);
        return report;
    }

    /**
     * Re-evaluates the artifact of the checkout in the working directory (or the given one) and
     * prints the card's README; in the checkout, the artifact's metadata.json is republished (the
     * card's sha1 and size change).
     *
     * @param args {@code [ARTIFACT_DIR]}
     * @throws Exception if the evaluation fails
     */
    public static void main(String[] args) throws Exception {
        Path dir =
                args.length > 0 ? Paths.get(args[0]) : TimeMoeTraining.artifactDir(Paths.get(""));
        reevaluate(dir);
        if (args.length == 0) {
            io.moezoo.recipes.ZooBuilder.publish(
                    Paths.get("zoo-weights", "src", "main", "resources")
                            .resolve(io.moezoo.zoo.repository.ZooRepository.EMBEDDED_ROOT),
                    TimeMoeTraining.ARTIFACT_ID,
                    TimeMoeTraining.VERSION);
        }
        System.out.print(Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8));
    }
}
