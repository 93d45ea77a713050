package io.moezoo.blocks.routing;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.moezoo.blocks.spec.LegacyJson;
import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the router JSON of version 0.1 artifacts: one object with every option of every router and
 * an upper-case {@code "type"}. Options the kind does not have are dropped when they hold the old
 * default (so they never changed behaviour); any other value stays and is reported by the codec as
 * a field the kind does not have.
 */
final class LegacyRouterJson {

    private static final Map<String, JsonPrimitive> OLD_DEFAULTS =
            Map.ofEntries(
                    Map.entry("normalizeTopK", new JsonPrimitive(false)),
                    Map.entry("scalingFactor", new JsonPrimitive(1.0)),
                    Map.entry("jitter", new JsonPrimitive(0.0)),
                    Map.entry("noiseStd", new JsonPrimitive(0.0)),
                    Map.entry("capacityFactor", new JsonPrimitive(-1.0)),
                    Map.entry("capacity", new JsonPrimitive(-1)),
                    Map.entry("capacityMultiple", new JsonPrimitive(1)),
                    Map.entry("groupSize", new JsonPrimitive(0)),
                    Map.entry("batchPrioritized", new JsonPrimitive(false)),
                    Map.entry("topP", new JsonPrimitive(-1.0)),
                    Map.entry("minExperts", new JsonPrimitive(1)),
                    Map.entry("nullExperts", new JsonPrimitive(0)),
                    Map.entry("scoring", new JsonPrimitive("SOFTMAX")),
                    Map.entry("numGroups", new JsonPrimitive(1)),
                    Map.entry("topKGroups", new JsonPrimitive(1)),
                    Map.entry("groupScore", new JsonPrimitive("MAX")),
                    Map.entry("correctionBias", new JsonPrimitive(false)),
                    Map.entry("biasUpdateRate", new JsonPrimitive(0.0)));

    private LegacyRouterJson() {}

    static JsonObject migrate(JsonObject old) {
        String type = old.get("type").getAsString().toLowerCase(Locale.ROOT);
        Class<?> kind = RouterKinds.registry().kind(type).type();
        JsonObject out = LegacyJson.dropOldDefaults(old, kind, OLD_DEFAULTS);
        // maxExperts defaulted to E; top-p sized its slots by maxExperts and switch fixed k = 1,
        // so their topK was never read.
        if (!hasComponent(kind, "maxExperts")
                && old.has("maxExperts")
                && old.get("maxExperts").equals(old.get("numExperts"))) {
            out.remove("maxExperts");
        }
        if (!hasComponent(kind, "topK")) {
            out.remove("topK");
        }
        return out;
    }

    private static boolean hasComponent(Class<?> kind, String name) {
        for (RecordComponent c : kind.getRecordComponents()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
