/** The dispatch benchmark harness (run by hand, not a timed test). */
package io.moezoo.recipes.bench;
