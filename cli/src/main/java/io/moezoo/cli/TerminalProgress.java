package io.moezoo.cli;

import ai.djl.util.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on standard error, drawn only when the process talks to a terminal: piped or
 * redirected output (scripts, CI, {@code --json}) stays clean. Used for downloads, training and
 * long evaluations.
 *
 * <pre>
 * Downloading brown-moe 0.1.0  [===============&gt;              ]  52%  7.3/14.0 MB
 * </pre>
 */
final class TerminalProgress implements Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean enabled;
    private String message = "";
    private long max;
    private long progress;
    private int lastPercent = -1;
    private String lastTrailing = "";

    private TerminalProgress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    /**
     * A bar on stderr if stdout and stderr are a terminal, else a silent one.
     *
     * @return the progress
     */
    static TerminalProgress forConsole() {
        return new TerminalProgress(System.err, System.console() != null);
    }

    /**
     * Whether the bar draws anything.
     *
     * @return true on a terminal
     */
    boolean isEnabled() {
        return enabled;
    }

    @Override
    public void reset(String message, long max, String trailingMessage) {
        this.message = message;
        this.max = max;
        this.progress = 0;
        this.lastPercent = -1;
        this.lastTrailing = trailingMessage == null ? "" : trailingMessage;
    }

    @Override
    public void start(long initialProgress) {
        update(initialProgress, null);
    }

    @Override
    public void end() {
        if (enabled && lastPercent >= 0) {
            draw(max, lastTrailing);
            out.println();
            out.flush();
        }
        lastPercent = -1;
    }

    @Override
    public void increment(long increment) {
        update(progress + increment, null);
    }

    @Override
    public synchronized void update(long value, String trailing) {
        progress = value;
        if (trailing != null) {
            lastTrailing = trailing;
        }
        int percent = max > 0 ? (int) Math.min(100, value * 100 / max) : 0;
        if (enabled && (percent != lastPercent || trailing != null)) {
            lastPercent = percent;
            draw(value, lastTrailing);
        }
    }

    private void draw(long value, String trailing) {
        int percent = max > 0 ? (int) Math.min(100, value * 100 / max) : 0;
        int filled = percent * WIDTH / 100;
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append(']');
        String amount =
                max > 1 << 20
                        ? String.format(Locale.ROOT, "%.1f/%.1f MB", value / 1e6, max / 1e6)
                        : value + "/" + max;
        out.printf(Locale.ROOT, "\r%s %s %3d%%  %s %s", message, bar, percent, amount, trailing);
        out.flush();
    }
}
