/** The language-model inference benchmark harness (run by hand, not a timed test). */
package io.moezoo.zoo.bench;
