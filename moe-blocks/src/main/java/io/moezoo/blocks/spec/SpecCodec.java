package io.moezoo.blocks.spec;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.moezoo.blocks.attention.AttentionKinds;
import io.moezoo.blocks.attention.AttentionLayerSpec;
import io.moezoo.blocks.experts.ExpertKinds;
import io.moezoo.blocks.routing.RouterKinds;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The one JSON codec of every spec: a record is written as an object of its components, in
 * declaration order; a spec of a registered family (router, experts, attention) carries its kind in
 * {@code "type"}.
 *
 * <p>Reading starts from the kind's registered defaults, so a field left out takes its documented
 * default; a field the kind does not have, a missing required field, or a value of the wrong type
 * is a {@link SpecJsonException} naming the field. The record's own constructor then validates the
 * values. Nothing in the JSON chooses a class other than a registered kind.
 */
public final class SpecCodec {

    private SpecCodec() {}

    /** The registered families, by interface (loaded on first nested use). */
    private static final class Families {
        static final Map<Class<?>, SpecRegistry<?>> ALL =
                Map.of(
                        RouterSpec.class, RouterKinds.registry(),
                        ExpertSpec.class, ExpertKinds.registry(),
                        AttentionLayerSpec.class, AttentionKinds.registry());
    }

    /**
     * Writes a spec of a family as a JSON object with its {@code "type"}.
     *
     * @param registry the family's kinds
     * @param spec the spec
     * @param <F> the family
     * @return the JSON object
     */
    public static <F> JsonObject write(SpecRegistry<F> registry, F spec) {
        JsonObject o = new JsonObject();
        o.addProperty("type", registry.kindOf(spec).name());
        for (Map.Entry<String, JsonElement> e : writeRecord((Record) spec).entrySet()) {
            o.add(e.getKey(), e.getValue());
        }
        return o;
    }

    /**
     * Writes a record as a JSON object of its components.
     *
     * @param record the record
     * @return the JSON object
     */
    public static JsonObject writeRecord(Record record) {
        JsonObject o = new JsonObject();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("Cannot read " + c.getName(), e);
            }
            o.add(c.getName(), toJson(c.getGenericType(), value));
        }
        return o;
    }

    /**
     * Returns pretty-printed JSON text.
     *
     * @param json the JSON tree
     * @return the text
     */
    public static String pretty(JsonElement json) {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json);
    }

    /**
     * Reads a spec of a family from JSON text.
     *
     * @param registry the family's kinds
     * @param json JSON text with a {@code "type"}
     * @param <F> the family
     * @return the validated spec
     * @throws SpecJsonException naming what is wrong
     */
    public static <F> F read(SpecRegistry<F> registry, String json) {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new SpecJsonException(
                    "Malformed " + registry.family() + " spec JSON: " + e.getMessage(), e);
        }
        return read(registry, tree);
    }

    /**
     * Reads a spec of a family from a JSON tree.
     *
     * @param registry the family's kinds
     * @param json a JSON object with a {@code "type"}
     * @param <F> the family
     * @return the validated spec
     * @throws SpecJsonException naming what is wrong
     */
    public static <F> F read(SpecRegistry<F> registry, JsonElement json) {
        if (json == null || !json.isJsonObject()) {
            throw new SpecJsonException(
                    registry.family() + " spec JSON must be an object, got " + json);
        }
        JsonObject o = json.getAsJsonObject();
        JsonElement type = o.get("type");
        if (type == null || !type.isJsonPrimitive() || !type.getAsJsonPrimitive().isString()) {
            throw new SpecJsonException(
                    registry.family()
                            + " spec JSON has no \"type\"; known types: "
                            + registry.names());
        }
        String name = type.getAsString();
        if (registry.isAlias(name)) {
            o = registry.migrate(o.deepCopy());
        }
        SpecRegistry.Kind<F> kind = registry.kind(name);
        JsonObject fields = o.deepCopy();
        fields.remove("type");
        return readRecord(
                kind.type(), fields, kind.defaults(), registry.family() + " " + kind.name());
    }

    /**
     * Reads a record from a JSON object: fields absent from {@code json} come from {@code
     * defaults}.
     *
     * @param type the record class
     * @param json the fields
     * @param defaults the defaults of optional fields
     * @param where the spec's name in messages
     * @param <R> the record type
     * @return the validated record
     * @throws SpecJsonException naming the field that is unknown, missing or invalid
     */
    public static <R> R readRecord(
            Class<R> type, JsonObject json, JsonObject defaults, String where) {
        RecordComponent[] components = type.getRecordComponents();
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (RecordComponent c : components) {
            names.add(c.getName());
        }
        for (String field : json.keySet()) {
            if (!names.contains(field)) {
                throw new SpecJsonException(
                        where + ": unknown field \"" + field + "\"; fields: " + names);
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            JsonElement value =
                    json.has(c.getName()) ? json.get(c.getName()) : defaults.get(c.getName());
            if (value == null) {
                throw new SpecJsonException(where + ": field \"" + c.getName() + "\" is missing");
            }
            args[i] =
                    fromJson(c.getGenericType(), value, where + ": field \"" + c.getName() + "\"");
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                String message = cause.getMessage();
                throw new SpecJsonException(
                        message != null && message.startsWith(where)
                                ? message
                                : where + ": " + message,
                        cause);
            }
            throw new IllegalStateException("Cannot create " + type.getName(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + type.getName(), e);
        }
    }

    private static JsonElement toJson(Type generic, Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        Class<?> type = raw(generic);
        if (value instanceof List<?> list) {
            Type element = elementType(generic);
            JsonArray a = new JsonArray();
            for (Object item : list) {
                a.add(toJson(element, item));
            }
            return a;
        }
        if (type.isArray()) {
            JsonArray a = new JsonArray();
            for (int i = 0; i < Array.getLength(value); i++) {
                a.add(toJson(type.getComponentType(), Array.get(value, i)));
            }
            return a;
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (value instanceof Enum<?> e) {
            return new JsonPrimitive(e.name());
        }
        SpecRegistry<?> family = Families.ALL.get(type);
        if (family != null) {
            return writeFamily(family, value);
        }
        if (value instanceof Record r) {
            return writeRecord(r);
        }
        // A plain value class inside a spec (such as a rotary embedding's parameters).
        return new Gson().toJsonTree(value);
    }

    @SuppressWarnings("unchecked")
    private static <F> JsonObject writeFamily(SpecRegistry<F> family, Object value) {
        return write(family, (F) value);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object fromJson(Type generic, JsonElement value, String where) {
        Class<?> type = raw(generic);
        if (value.isJsonNull()) {
            if (type.isPrimitive()) {
                throw new SpecJsonException(where + ": must not be null");
            }
            return null;
        }
        if (type == List.class || type.isArray()) {
            if (!value.isJsonArray()) {
                throw new SpecJsonException(where + ": expected an array, got " + value);
            }
            JsonArray a = value.getAsJsonArray();
            Type element = type.isArray() ? type.getComponentType() : elementType(generic);
            if (type.isArray()) {
                Object out = Array.newInstance(type.getComponentType(), a.size());
                for (int i = 0; i < a.size(); i++) {
                    Array.set(out, i, fromJson(element, a.get(i), where + "[" + i + "]"));
                }
                return out;
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                out.add(fromJson(element, a.get(i), where + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        SpecRegistry<?> family = Families.ALL.get(type);
        if (family != null) {
            return read(family, value);
        }
        if (type.isRecord()) {
            if (!value.isJsonObject()) {
                throw new SpecJsonException(where + ": expected an object, got " + value);
            }
            return readRecord(type, value.getAsJsonObject(), new JsonObject(), where);
        }
        if (value.isJsonObject() && !type.isEnum() && !type.getName().startsWith("java.")) {
            try {
                return new Gson().fromJson(value, type);
            } catch (JsonParseException e) {
                throw new SpecJsonException(where + ": " + e.getMessage(), e);
            }
        }
        if (!value.isJsonPrimitive()) {
            throw new SpecJsonException(where + ": expected a value, got " + value);
        }
        JsonPrimitive p = value.getAsJsonPrimitive();
        try {
            if (type == int.class || type == Integer.class) {
                return number(p, where).intValueExact();
            }
            if (type == long.class || type == Long.class) {
                return number(p, where).longValueExact();
            }
            if (type == float.class || type == Float.class) {
                return number(p, where).floatValue();
            }
            if (type == double.class || type == Double.class) {
                return number(p, where).doubleValue();
            }
        } catch (ArithmeticException e) {
            throw new SpecJsonException(where + ": expected an integer, got " + p);
        }
        if (type == boolean.class || type == Boolean.class) {
            if (!p.isBoolean()) {
                throw new SpecJsonException(where + ": expected true or false, got " + p);
            }
            return p.getAsBoolean();
        }
        if (type == String.class) {
            return p.getAsString();
        }
        if (type.isEnum()) {
            try {
                return Enum.valueOf((Class<Enum>) type, p.getAsString());
            } catch (IllegalArgumentException e) {
                throw new SpecJsonException(
                        where
                                + ": expected one of "
                                + java.util.Arrays.toString(type.getEnumConstants())
                                + ", got "
                                + p);
            }
        }
        throw new IllegalStateException(where + ": unsupported component type " + type.getName());
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("Unsupported spec component type " + type);
    }

    private static Type elementType(Type list) {
        if (list instanceof ParameterizedType p) {
            Type element = p.getActualTypeArguments()[0];
            if (element instanceof WildcardType w) {
                return w.getUpperBounds()[0];
            }
            return element;
        }
        return Object.class;
    }

    private static BigDecimal number(JsonPrimitive p, String where) {
        if (!p.isNumber()) {
            throw new SpecJsonException(where + ": expected a number, got " + p);
        }
        try {
            return new BigDecimal(p.getAsString());
        } catch (NumberFormatException e) {
            throw new SpecJsonException(where + ": expected a finite number, got " + p);
        }
    }
}
