package io.moezoo.blocks.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Brings spec JSON of version 0.1 artifacts (one object holding every option of the family) to the
 * form of one kind: options the kind does not have are dropped when they hold the old default, so
 * they never changed behaviour; any other value stays, and the codec reports it as a field the kind
 * does not have.
 */
public final class LegacyJson {

    private LegacyJson() {}

    /**
     * Drops the options a kind does not have that hold their old default.
     *
     * @param old the old JSON object (not modified)
     * @param kind the kind's record class
     * @param oldDefaults the old defaults, by field
     * @return the object with only the kind's fields and non-default others
     */
    public static JsonObject dropOldDefaults(
            JsonObject old, Class<?> kind, Map<String, JsonPrimitive> oldDefaults) {
        Set<String> fields = new HashSet<>();
        fields.add("type");
        for (RecordComponent c : kind.getRecordComponents()) {
            fields.add(c.getName());
        }
        JsonObject out = new JsonObject();
        for (Map.Entry<String, JsonElement> e : old.entrySet()) {
            if (fields.contains(e.getKey()) || !same(e.getValue(), oldDefaults.get(e.getKey()))) {
                out.add(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static boolean same(JsonElement value, JsonPrimitive old) {
        if (old == null || !value.isJsonPrimitive()) {
            return false;
        }
        JsonPrimitive v = value.getAsJsonPrimitive();
        if (old.isNumber() && v.isNumber()) {
            return old.getAsDouble() == v.getAsDouble();
        }
        return old.equals(v);
    }
}
