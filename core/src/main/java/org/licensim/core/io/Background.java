package org.licensim.core.io;

/** Work on a thread of its own, joined once (its failure thrown then, as it was). */
final class Background {
    private final Thread thread;
    private volatile Throwable failure;

    Background(String name, Runnable work) {
        thread = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable t) {
                failure = t;
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    void join() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the work is part of the result: wait for it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }
}
