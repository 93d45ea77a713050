package io.moezoo.hf.harmony;

/**
 * One message of a harmony reply, as {@link HarmonyParser} read it.
 *
 * @param header its role, channel, recipient and content type
 * @param content its text, without special tokens
 */
public record HarmonyMessage(HarmonyHeader header, String content) {}
