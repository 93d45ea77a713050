package io.moezoo.recipes.timeseries.baseline;

import java.util.List;

/**
 * One additive-error exponential smoothing model ETS(A, trend, season) in the notation of Hyndman
 * et al. (2008): trend N (none), A (additive) or Ad (additive damped), season N or A (additive).
 *
 * @param trend whether there is a trend
 * @param damped whether the trend is damped (only with a trend)
 * @param seasonal whether there is an additive seasonal component
 */
public record EtsSpec(boolean trend, boolean damped, boolean seasonal) {

    /** ETS(A,N,N): simple exponential smoothing. */
    public static final EtsSpec ANN = new EtsSpec(false, false, false);

    /** ETS(A,A,N): Holt's linear trend. */
    public static final EtsSpec AAN = new EtsSpec(true, false, false);

    /** ETS(A,Ad,N): damped trend. */
    public static final EtsSpec AADN = new EtsSpec(true, true, false);

    /** ETS(A,N,A). */
    public static final EtsSpec ANA = new EtsSpec(false, false, true);

    /** ETS(A,A,A): additive Holt–Winters. */
    public static final EtsSpec AAA = new EtsSpec(true, false, true);

    /** ETS(A,Ad,A). */
    public static final EtsSpec AADA = new EtsSpec(true, true, true);

    /**
     * Validates the combination.
     *
     * @param trend trend
     * @param damped damped
     * @param seasonal seasonal
     */
    public EtsSpec {
        if (damped && !trend) {
            throw new IllegalArgumentException("A damped model needs a trend");
        }
    }

    /**
     * The candidates of automatic selection: ANN, AAN, AAdN, and when seasonal also ANA, AAA, AAdA.
     *
     * @param seasonal whether seasonal models are candidates
     * @return the candidates in that order
     */
    public static List<EtsSpec> candidates(boolean seasonal) {
        return seasonal ? List.of(ANN, AAN, AADN, ANA, AAA, AADA) : List.of(ANN, AAN, AADN);
    }

    /**
     * Parses a name such as {@code AAdN}.
     *
     * @param name A + trend (N, A, Ad) + season (N, A)
     * @return the spec
     * @throws IllegalArgumentException if the name is not an additive-error model
     */
    public static EtsSpec parse(String name) {
        for (EtsSpec s : candidates(true)) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "Unknown ETS model '" + name + "': expected ANN, AAN, AAdN, ANA, AAA or AAdA");
    }

    /**
     * The name in R's {@code forecast::ets} notation, e.g. {@code AAdA}.
     *
     * @return the name
     */
    public String name() {
        return "A" + (trend ? (damped ? "Ad" : "A") : "N") + (seasonal ? "A" : "N");
    }

    @Override
    public String toString() {
        return name();
    }
}
