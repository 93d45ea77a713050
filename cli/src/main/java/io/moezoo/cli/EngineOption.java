package io.moezoo.cli;

import io.moezoo.hf.HfBlockFactory;
import picocli.CommandLine.Option;

/**
 * {@code --engine}: which engine runs a Hugging Face checkpoint. {@code MoeJava} (the default) maps
 * the weights in their stored format and runs the Java kernels; {@code PyTorch} runs the reference
 * DJL blocks with every weight widened to float32. {@code -Dmoezoo.engine} sets the default.
 */
final class EngineOption {

    /** The engines checkpoints run on. */
    enum Choice {
        /** MoE Zoo's engine. */
        MoeJava,
        /** The reference path. */
        PyTorch
    }

    @Option(
            names = "--engine",
            paramLabel = "ENGINE",
            description =
                    "MoeJava (default: weights mapped in their stored format, Java kernels) or"
                            + " PyTorch (the reference blocks, weights widened to float32).")
    Choice engine;

    /**
     * Returns the chosen engine.
     *
     * @return the engine name
     */
    String name() {
        return engine == null ? HfBlockFactory.defaultEngine() : engine.name();
    }

    /**
     * Whether the reference engine is chosen.
     *
     * @return true for PyTorch
     */
    boolean reference() {
        return name().equals(HfBlockFactory.REFERENCE_ENGINE);
    }
}
