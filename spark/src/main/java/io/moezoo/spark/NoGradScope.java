package io.moezoo.spark;

import ai.djl.Model;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's grad mode off on the current thread while a partition is predicted, and back to
 * what it was afterwards.
 *
 * <p>PyTorch's grad mode is thread-local and DJL 0.35.1 turns it off only on the thread that starts
 * the engine ({@code PtEngine.newInstance}). Spark predicts on its own task threads, where it is
 * on: every forward pass of the zoo's Java-defined blocks then records an autograd graph, which
 * costs CPU (measured here: 25% slower generation with {@code brown-moe}) and changes no result.
 * Other engines are left alone.
 */
final class NoGradScope implements AutoCloseable {

    private final boolean active;
    private final boolean previous;

    private NoGradScope(boolean active, boolean previous) {
        this.active = active;
        this.previous = previous;
    }

    /**
     * Enters the scope on the current thread.
     *
     * @param model the model about to be run (its engine decides whether there is anything to do)
     * @return the scope; close it on the same thread
     */
    static NoGradScope enter(Model model) {
        if (!"PyTorch".equals(model.getNDManager().getEngine().getEngineName())) {
            return new NoGradScope(false, false);
        }
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return new NoGradScope(true, previous);
    }

    /**
     * Returns whether PyTorch's grad mode is on for the current thread (false for other engines).
     *
     * @param model a model of the engine
     * @return the thread's grad mode
     */
    static boolean gradModeOn(Model model) {
        return "PyTorch".equals(model.getNDManager().getEngine().getEngineName())
                && JniUtils.isGradMode();
    }

    /** Restores the thread's grad mode. */
    @Override
    public void close() {
        if (active) {
            JniUtils.setGradMode(previous);
        }
    }
}
