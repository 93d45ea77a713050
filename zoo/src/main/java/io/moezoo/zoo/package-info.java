/** MoE models for DJL: Hugging Face checkpoint import and the model zoo. */
package io.moezoo.zoo;
