package io.moezoo.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code moe-zoo models [--json]}: the zoo's models with their cards. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description =
                "List the zoo's models with their model cards (repository: -Dmoezoo.repository.url"
                        + " or MOEZOO_REPOSITORY_URL, default the embedded one).")
final class ModelsCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the cards as a JSON array.")
    boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MoeModelZoo zoo = new MoeModelZoo();
        JsonArray cards = new JsonArray();
        for (ZooCatalog.Entry entry : ZooCatalog.entries()) {
            JsonObject card =
                    JsonParser.parseString(zoo.loader(entry.artifactId()).card()).getAsJsonObject();
            card.addProperty("artifactId", entry.artifactId());
            card.addProperty("family", entry.family());
            card.addProperty("application", entry.application().getPath());
            cards.add(card);
        }
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(cards));
            return 0;
        }
        out.println("MoE Zoo (" + zoo.getRepository() + ")");
        out.printf(
                Locale.ROOT,
                "%-24s %-12s %12s %12s  %s%n",
                "model",
                "family",
                "parameters",
                "activated",
                "metrics");
        for (JsonElement e : cards) {
            JsonObject card = e.getAsJsonObject();
            StringBuilder metrics = new StringBuilder();
            if (card.has("metrics")) {
                int shown = 0;
                for (Map.Entry<String, JsonElement> m :
                        card.getAsJsonObject("metrics").entrySet()) {
                    if (shown == 3) {
                        metrics.append(", ... (moe-zoo info ")
                                .append(card.get("artifactId").getAsString())
                                .append(')');
                        break;
                    }
                    shown++;
                    if (m.getValue().isJsonPrimitive()
                            && m.getValue().getAsJsonPrimitive().isNumber()) {
                        metrics.append(metrics.length() == 0 ? "" : ", ")
                                .append(m.getKey())
                                .append('=')
                                .append(format(m.getValue().getAsDouble()));
                    }
                }
            }
            out.printf(
                    Locale.ROOT,
                    "%-24s %-12s %,12d %,12d  %s%n",
                    card.get("artifactId").getAsString(),
                    card.get("family").getAsString(),
                    card.has("totalParameters") ? card.get("totalParameters").getAsLong() : 0,
                    card.has("activatedParameters")
                            ? card.get("activatedParameters").getAsLong()
                            : 0,
                    metrics);
        }
        return 0;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9
                ? String.valueOf((long) v)
                : String.format(Locale.ROOT, "%.4g", v);
    }
}
