/** The {@code moe-zoo} command line: one entry point with a subcommand per task. */
package io.moezoo.cli;
