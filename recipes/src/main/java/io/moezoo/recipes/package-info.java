/**
 * The lab: how the zoo's models were trained, evaluated and published ({@link
 * io.moezoo.recipes.ZooBuilder}), with the data readers and model-card writers they use. Used by
 * the CLI and the notebooks; applications that only load models do not depend on it.
 */
package io.moezoo.recipes;
