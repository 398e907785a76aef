package io.vigil.runtime.http;

import java.io.IOException;

/** Serves one path. It runs on a bounded worker thread and may block (a live stream blocks for its whole life). */
@FunctionalInterface
public interface Route {
    void handle(HttpCall call) throws IOException;
}
