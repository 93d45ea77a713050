package io.moezoo.blocks.dispatch;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The dispatch algorithms, by the name a layer spec's {@code "dispatch"} holds. A new algorithm is
 * a {@link Dispatcher} and one {@link #register} line here.
 */
public final class DispatcherKinds {

    /** Tokens sorted by expert, one gather and one scatter (MegaBlocks-style, dropless). */
    public static final String SORTED = "sorted";

    /** A fixed [E, C, H] buffer per expert (GShard/Tutel-style, padded to capacity). */
    public static final String PADDED = "padded";

    private static final Map<String, Supplier<Dispatcher>> KINDS = new ConcurrentHashMap<>();

    static {
        register(SORTED, SortedDispatcher::new);
        register(PADDED, PaddedDispatcher::new);
    }

    private DispatcherKinds() {}

    /**
     * Registers a dispatch algorithm.
     *
     * @param name its name, lower case
     * @param factory makes a dispatcher
     */
    public static void register(String name, Supplier<Dispatcher> factory) {
        if (KINDS.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("Dispatcher already registered: " + name);
        }
    }

    /**
     * Returns the registered name for a name in any case ({@code SORTED} was written by version
     * 0.1).
     *
     * @param name a dispatcher name
     * @return the registered name
     * @throws IllegalArgumentException naming the known dispatchers if there is none
     */
    public static String canonical(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!KINDS.containsKey(key)) {
            throw new IllegalArgumentException(
                    "Unknown dispatch \"" + name + "\"; known: " + KINDS.keySet());
        }
        return key;
    }

    /**
     * Makes the dispatcher registered under a name.
     *
     * @param name a dispatcher name
     * @return a new dispatcher
     */
    public static Dispatcher create(String name) {
        return KINDS.get(canonical(name)).get();
    }
}
