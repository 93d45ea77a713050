package io.moezoo.blocks.spec;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The kinds of one spec family (routers, expert banks, attention layers): each kind is a record
 * class registered under the name its JSON form carries in {@code "type"}, with the defaults of its
 * optional fields.
 *
 * <p>A registry is data only; what a kind builds is registered beside it by the family's {@code
 * *Kinds} class (e.g. {@code RouterKinds}), so a new kind is one record, one block class and one
 * registration line.
 *
 * @param <F> the family's interface
 */
public final class SpecRegistry<F> {

    /**
     * One registered kind.
     *
     * @param name the {@code "type"} value of its JSON form
     * @param type the record class
     * @param defaults the values of the fields its JSON form may leave out
     * @param <F> the family's interface
     */
    public record Kind<F>(String name, Class<? extends F> type, JsonObject defaults) {

        /**
         * Returns a copy of the defaults, safe to modify.
         *
         * @return the defaults
         */
        @Override
        public JsonObject defaults() {
            return defaults.deepCopy();
        }
    }

    private final String family;
    private final Map<String, Kind<F>> byName = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final Map<Class<?>, Kind<F>> byType = new LinkedHashMap<>();
    private UnaryOperator<JsonObject> legacy = UnaryOperator.identity();

    /**
     * Creates an empty registry.
     *
     * @param family the family's name in messages, e.g. {@code router}
     */
    public SpecRegistry(String family) {
        this.family = family;
    }

    /**
     * Registers a kind.
     *
     * @param name its {@code "type"} name, lower-case words joined by {@code _}
     * @param type its record class
     * @param defaultsJson a JSON object with the default of every optional field
     * @return this registry
     * @throws IllegalArgumentException if the name or class is taken or the defaults are not a JSON
     *     object
     */
    public synchronized SpecRegistry<F> register(
            String name, Class<? extends F> type, String defaultsJson) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        if (byName.containsKey(name) || byType.containsKey(type)) {
            throw new IllegalArgumentException(family + " kind already registered: " + name);
        }
        JsonObject defaults;
        try {
            defaults = JsonParser.parseString(defaultsJson).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("Defaults of " + name + " are not a JSON object", e);
        }
        Kind<F> kind = new Kind<>(name, type, defaults);
        byName.put(name, kind);
        byType.put(type, kind);
        return this;
    }

    /**
     * Lets an older name (such as a former enum constant) stand for a registered kind.
     *
     * @param oldName the older name
     * @param name the registered name
     * @return this registry
     */
    public synchronized SpecRegistry<F> alias(String oldName, String name) {
        aliases.put(oldName, name);
        return this;
    }

    /**
     * Sets how JSON written by an older version is brought to the current form before it is read.
     *
     * @param migration rewrites an older JSON object (it receives every object with a {@code
     *     "type"} that is an alias)
     * @return this registry
     */
    public synchronized SpecRegistry<F> legacyForm(UnaryOperator<JsonObject> migration) {
        this.legacy = migration;
        return this;
    }

    /**
     * Returns the family's name, e.g. {@code router}.
     *
     * @return the family name
     */
    public String family() {
        return family;
    }

    /**
     * Returns the registered names, in registration order.
     *
     * @return the names
     */
    public synchronized Set<String> names() {
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(byName.keySet()));
    }

    /**
     * Returns the kind registered under a name or an alias.
     *
     * @param name the {@code "type"} value
     * @return the kind
     * @throws SpecJsonException naming the known kinds if there is none
     */
    public synchronized Kind<F> kind(String name) {
        Kind<F> kind = byName.get(aliases.getOrDefault(name, name));
        if (kind == null) {
            throw new SpecJsonException(
                    "Unknown " + family + " type \"" + name + "\"; known: " + byName.keySet());
        }
        return kind;
    }

    /**
     * Returns the kind of a spec.
     *
     * @param spec a spec of this family
     * @return its kind
     * @throws IllegalArgumentException if its class is not registered
     */
    public synchronized Kind<F> kindOf(F spec) {
        Kind<F> kind = byType.get(spec.getClass());
        if (kind == null) {
            throw new IllegalArgumentException(
                    spec.getClass().getName() + " is not a registered " + family + " kind");
        }
        return kind;
    }

    boolean isAlias(String name) {
        return aliases.containsKey(name);
    }

    JsonObject migrate(JsonObject legacyJson) {
        return legacy.apply(legacyJson);
    }
}
