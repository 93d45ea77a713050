/**
 * Model surgery from the MoE literature: sparse upcycling of a dense FFN, expert upcycling E to
 * m·E, fine-grained expert segmentation, and the weight assignment they share.
 */
package io.moezoo.blocks.surgery;
