package io.moezoo.notebooks;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.logging.LogManager;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 like its own {@code MainApp}, with two start-up races closed
 * (both leave a kernel that never answers: "Kernel didn't respond in N seconds"; both are likely on
 * a loaded machine).
 *
 * <p>First, the kernel binds its sockets and starts the shell thread before it builds its table of
 * message handlers; a {@code kernel_info_request} arriving in between (likely on a loaded machine)
 * makes the shell thread die on a NullPointerException and the kernel never answers ("Kernel didn't
 * respond"). Here the table starts out empty, so an early request is only dropped ("Unhandled
 * message") and Jupyter's client, which repeats the request every second, is answered as soon as
 * the handlers are in place.
 *
 * <p>Second, each channel's {@code LoopThread.start()} starts the thread before it sets its {@code
 * running} flag, so a thread scheduled at once sees {@code running == false} and ends before its
 * first poll. After connecting, a channel thread that ended this way is replaced by a new one (same
 * name, period and loop body) whose flag is set before it starts.
 *
 * <p>Uses reflection only: this class is compiled for Java 17, the kernel needs Java 21+.
 */
public final class KernelLauncher {

    private static final String KERNEL = "org.rapaio.jupyter.kernel.";

    private KernelLauncher() {}

    /**
     * Runs the kernel.
     *
     * @param args the Jupyter connection file
     * @throws Exception if the kernel cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: KernelLauncher CONNECTION_FILE");
        }
        ClassLoader loader = KernelLauncher.class.getClassLoader();
        Class<?> mainApp = Class.forName(KERNEL + "MainApp", true, loader);
        try (InputStream logging =
                mainApp.getClassLoader().getResourceAsStream("logging.properties")) {
            if (logging != null) {
                LogManager.getLogManager().readConfiguration(logging);
            }
        }
        String contents = Files.readString(Path.of(args[0]));
        Class<?> propertiesType = Class.forName(KERNEL + "core.ConnectionProperties", true, loader);
        Object properties =
                Class.forName(KERNEL + "core.Transform", true, loader)
                        .getMethod("fromJson", String.class, Class.class)
                        .invoke(null, contents, propertiesType);
        Class<?> channelsType = Class.forName(KERNEL + "channels.Channels", true, loader);
        Object channels = channelsType.getConstructor(propertiesType).newInstance(properties);
        Field handlers = channelsType.getDeclaredField("handlers");
        handlers.setAccessible(true);
        handlers.set(channels, new HashMap<>());
        Object kernel = mainApp.getField("kernel").get(null);
        channelsType.getMethod("connect", kernel.getClass()).invoke(channels, kernel);
        restartLostLoops(channelsType, channels);
        channelsType.getMethod("joinUntilClose").invoke(channels);
    }

    /** Replaces channel loop threads that ended before their first iteration. */
    private static void restartLostLoops(Class<?> channelsType, Object channels)
            throws ReflectiveOperationException, InterruptedException {
        List<Object> looping = new ArrayList<>();
        for (String name : List.of("heartbeat", "shell", "control")) {
            Field field = channelsType.getDeclaredField(name);
            field.setAccessible(true);
            looping.add(field.get(channels));
        }
        // A thread that lost the race ends right after it is first scheduled.
        for (int check = 0; check < 40; check++) {
            Thread.sleep(50);
            for (Object channel : looping) {
                Field field = channel.getClass().getDeclaredField("loopThread");
                field.setAccessible(true);
                Thread loop = (Thread) field.get(channel);
                if (loop != null && loop.getState() == Thread.State.TERMINATED) {
                    Thread fresh = copyRunning(loop);
                    field.set(channel, fresh);
                    fresh.start();
                    System.err.println("KernelLauncher: restarted lost loop " + loop.getName());
                }
            }
        }
    }

    private static Thread copyRunning(Thread loop) throws ReflectiveOperationException {
        Class<?> type = loop.getClass();
        Field sleep = type.getDeclaredField("sleep");
        Field body = type.getDeclaredField("loopBody");
        Field running = type.getDeclaredField("running");
        sleep.setAccessible(true);
        body.setAccessible(true);
        running.setAccessible(true);
        Thread fresh =
                (Thread)
                        type.getConstructor(String.class, long.class, Runnable.class)
                                .newInstance(loop.getName(), sleep.getLong(loop), body.get(loop));
        running.setBoolean(fresh, true);
        return fresh;
    }
}
