package io.moezoo.cli.serve;

/**
 * One message of a chat request.
 *
 * @param role {@code system}, {@code user}, {@code assistant} or another role the template knows
 * @param content the message text
 */
public record Message(String role, String content) {}
