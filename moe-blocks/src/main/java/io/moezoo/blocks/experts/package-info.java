/**
 * Expert banks (E experts of one form with stacked weights) and the dense SwiGLU FFN used as shared
 * expert, dense baseline and upcycling source.
 */
package io.moezoo.blocks.experts;
