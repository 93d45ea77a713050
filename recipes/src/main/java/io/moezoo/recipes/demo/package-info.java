/**
 * A runnable demonstration: train a small MoE on a synthetic multi-domain task and show routing.
 */
package io.moezoo.recipes.demo;
