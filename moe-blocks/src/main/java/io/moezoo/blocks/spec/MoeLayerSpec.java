package io.moezoo.blocks.spec;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.blocks.dispatch.DispatcherKinds;

/**
 * Describes one MoE FFN layer: its router, its routed experts, an optional shared expert and the
 * dispatch algorithm.
 *
 * @param router the router
 * @param experts the routed experts
 * @param sharedExpert the shared expert, or null
 * @param dispatch the dispatch algorithm
 * @param outputBias whether a bias {@code [H]} is added after the combine (JetMoE)
 */
public record MoeLayerSpec(
        RouterSpec router,
        ExpertSpec experts,
        SharedExpertSpec sharedExpert,
        String dispatch,
        boolean outputBias) {

    /**
     * Validates that router and experts agree.
     *
     * @param router the router
     * @param experts the routed experts
     * @param sharedExpert the shared expert, or null
     * @param dispatch the dispatch algorithm
     * @param outputBias whether a bias is added after the combine
     */
    public MoeLayerSpec {
        if (router == null || experts == null || dispatch == null) {
            throw new IllegalArgumentException(
                    "Invalid MoE layer spec: router, experts and dispatch are required");
        }
        dispatch = DispatcherKinds.canonical(dispatch);
        if (router.numExperts() != experts.numExperts()) {
            throw new IllegalArgumentException(
                    "Invalid MoE layer spec: router has "
                            + router.numExperts()
                            + " experts but the expert bank has "
                            + experts.numExperts());
        }
    }

    /**
     * A dropless layer with sorted dispatch and no shared expert.
     *
     * @param router the router
     * @param experts the routed experts
     * @return the spec
     */
    public static MoeLayerSpec of(RouterSpec router, ExpertSpec experts) {
        return new MoeLayerSpec(router, experts, null, DispatcherKinds.SORTED, false);
    }

    /**
     * Returns a copy with a shared expert.
     *
     * @param shared the shared expert
     * @return the new spec
     */
    public MoeLayerSpec withSharedExpert(SharedExpertSpec shared) {
        return new MoeLayerSpec(router, experts, shared, dispatch, outputBias);
    }

    /**
     * Returns a copy with another dispatch algorithm.
     *
     * @param mode the dispatch algorithm, a name registered in {@link DispatcherKinds}
     * @return the new spec
     */
    public MoeLayerSpec withDispatch(String mode) {
        return new MoeLayerSpec(router, experts, sharedExpert, mode, outputBias);
    }

    /**
     * Returns a copy with another router and expert bank (which must agree on E).
     *
     * @param newRouter the router
     * @param newExperts the experts
     * @return the new spec
     */
    public MoeLayerSpec withRouting(RouterSpec newRouter, ExpertSpec newExperts) {
        return new MoeLayerSpec(newRouter, newExperts, sharedExpert, dispatch, outputBias);
    }

    /**
     * Returns a copy with (or without) a bias added after the combine.
     *
     * @param bias true for an output bias
     * @return the new spec
     */
    public MoeLayerSpec withOutputBias(boolean bias) {
        return new MoeLayerSpec(router, experts, sharedExpert, dispatch, bias);
    }

    /**
     * Returns the hidden size H.
     *
     * @return H
     */
    public int hiddenSize() {
        return experts.hiddenSize();
    }

    /**
     * Returns the JSON object of this spec: {@code {router, experts, shared, dispatch,
     * outputBias}}, router and experts in the JSON forms of {@link RouterSpec} and {@link
     * ExpertSpec}.
     *
     * @return the JSON object
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.add("router", JsonParser.parseString(router.toJson()));
        o.add("experts", JsonParser.parseString(experts.toJson()));
        o.add(
                "shared",
                sharedExpert == null ? JsonNull.INSTANCE : new Gson().toJsonTree(sharedExpert));
        o.addProperty("dispatch", dispatch);
        o.addProperty("outputBias", outputBias);
        return o;
    }

    /**
     * Returns the JSON text of this spec.
     *
     * @return JSON text
     */
    public String toJson() {
        return new GsonBuilder()
                .setPrettyPrinting()
                .serializeNulls()
                .create()
                .toJson(toJsonObject());
    }

    /**
     * Parses and validates a spec written by {@link #toJson()}; {@code shared}, {@code dispatch}
     * (SORTED) and {@code outputBias} (false) may be omitted.
     *
     * @param json the JSON text
     * @return the spec
     * @throws IllegalArgumentException naming what is missing or invalid
     */
    public static MoeLayerSpec fromJson(String json) {
        try {
            return fromJsonObject(JsonParser.parseString(json).getAsJsonObject());
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(
                    "Malformed MoE layer spec JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Parses and validates a spec from its JSON object.
     *
     * @param o the JSON object
     * @return the spec
     * @throws IllegalArgumentException naming what is missing or invalid
     */
    public static MoeLayerSpec fromJsonObject(JsonObject o) {
        try {
            JsonElement router = o.get("router");
            JsonElement experts = o.get("experts");
            if (router == null || experts == null) {
                throw new IllegalArgumentException(
                        "MoE layer spec JSON needs \"router\" and \"experts\"");
            }
            JsonElement shared = o.get("shared");
            JsonElement dispatch = o.get("dispatch");
            JsonElement bias = o.get("outputBias");
            return new MoeLayerSpec(
                    RouterSpec.fromJson(router.toString()),
                    ExpertSpec.fromJson(experts.toString()),
                    shared == null || shared.isJsonNull()
                            ? null
                            : new Gson().fromJson(shared, SharedExpertSpec.class),
                    dispatch == null || dispatch.isJsonNull()
                            ? DispatcherKinds.SORTED
                            : dispatch.getAsString(),
                    bias != null && !bias.isJsonNull() && bias.getAsBoolean());
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(
                    "Malformed MoE layer spec JSON: " + e.getMessage(), e);
        }
    }
}
