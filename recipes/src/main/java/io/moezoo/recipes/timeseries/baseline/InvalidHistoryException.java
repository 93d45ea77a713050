package io.moezoo.recipes.timeseries.baseline;

/**
 * A history that a baseline cannot forecast from (too short for the season, not finite, a horizon
 * below 1); the message names the series property that is wrong.
 */
public class InvalidHistoryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public InvalidHistoryException(String message) {
        super(message);
    }

    /**
     * Checks that a history is non-empty, finite and at least {@code minLength} long, and that the
     * horizon is at least 1.
     *
     * @param history the values
     * @param minLength the fewest values the caller needs
     * @param horizon H
     * @param what the method, for the message
     * @throws InvalidHistoryException naming the first problem found
     */
    public static void check(double[] history, int minLength, int horizon, String what) {
        if (history == null) {
            throw new InvalidHistoryException(what + ": the history is null");
        }
        if (horizon < 1) {
            throw new InvalidHistoryException(what + ": horizon must be >= 1, got " + horizon);
        }
        if (history.length < Math.max(1, minLength)) {
            throw new InvalidHistoryException(
                    what
                            + " needs at least "
                            + Math.max(1, minLength)
                            + " history values, got "
                            + history.length);
        }
        for (int t = 0; t < history.length; t++) {
            if (!Double.isFinite(history[t])) {
                throw new InvalidHistoryException(
                        what + ": history[" + t + "] is " + history[t] + ", not a finite number");
            }
        }
    }
}
