package io.syncline.cli.up;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a list of {@link Component}s: preflight all, start in order, stop in reverse order.
 *
 * <p>Thread-safe for the one case that matters: {@link #stop} from a shutdown hook (Ctrl-C) while {@link #start} is
 * still running. The hook waits for the component that is starting to finish starting, then stops everything started,
 * and {@link #start} starts nothing more.
 */
public final class Stack {

    /** Receives progress, e.g. to print "starting Kafka broker... ready in 3.1 s". */
    public interface Listener {
        default void starting(Component component) {
        }

        default void started(Component component, Duration took) {
        }

        /** A component failed to start; the ones started before it are stopped next. */
        default void startFailed(Component component, Exception error) {
        }

        default void stopping(Component component) {
        }

        default void stopped(Component component, Duration took) {
        }

        /** A component failed to stop; the others are still stopped. */
        default void stopFailed(Component component, Exception error) {
        }
    }

    /** {@link #start} gave up because {@link #stop} was called meanwhile. */
    public static final class StoppedWhileStartingException extends RuntimeException {
        StoppedWhileStartingException() {
            super("stopped while starting");
        }
    }

    private final List<Component> components;
    private final StackContext context;
    private final List<Component> started = new ArrayList<>();
    /** Set before {@link #stop} waits for the lock, so that a start in progress begins no further component. */
    private volatile boolean stopRequested;
    private boolean stopped;

    public Stack(List<Component> components, StackContext context) {
        this.components = List.copyOf(components);
        this.context = context;
    }

    public List<Component> components() {
        return components;
    }

    public StackContext context() {
        return context;
    }

    /**
     * Preflights every component, then starts them in order. When one fails, the ones already started are stopped
     * (in reverse order) and the failure is rethrown with the component's name.
     */
    public void start(Listener listener) {
        for (Component component : components) {
            component.preflight(context);
        }
        for (Component component : components) {
            synchronized (this) {
                if (stopRequested || stopped) {
                    throw new StoppedWhileStartingException();
                }
                listener.starting(component);
                long t0 = System.nanoTime();
                try {
                    component.start(context);
                } catch (Exception e) {
                    listener.startFailed(component, e);
                    stopStarted(listener);
                    stopped = true;
                    throw new ComponentStartException(component, e);
                }
                started.add(component);
                listener.started(component, Duration.ofNanos(System.nanoTime() - t0));
            }
        }
    }

    /** Stops every started component in reverse order; later calls do nothing. */
    public void stop(Listener listener) {
        stopRequested = true;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            stopStarted(listener);
        }
    }

    private void stopStarted(Listener listener) {
        for (int i = started.size() - 1; i >= 0; i--) {
            Component component = started.get(i);
            listener.stopping(component);
            long t0 = System.nanoTime();
            try {
                component.stop();
                listener.stopped(component, Duration.ofNanos(System.nanoTime() - t0));
            } catch (Exception e) {
                listener.stopFailed(component, e);
            }
        }
        started.clear();
    }

    /** A component failed to start; the message names it and keeps the cause's message, which says what to do. */
    public static final class ComponentStartException extends RuntimeException {
        private final transient Component component;

        ComponentStartException(Component component, Exception cause) {
            super("starting " + component.name() + ": " + cause.getMessage(), cause);
            this.component = component;
        }

        public Component component() {
            return component;
        }
    }
}
