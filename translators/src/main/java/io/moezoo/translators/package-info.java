/** DJL translators for MoE models. */
package io.moezoo.translators;
