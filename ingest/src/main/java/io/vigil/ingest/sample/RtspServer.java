package io.vigil.ingest.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP camera: GStreamer's RTSP server (Debian packages) in a child process, looping an H.264 clip on
 * 127.0.0.1. It can be stopped and restarted on the same port, and paused (SIGSTOP) to simulate a stalled camera.
 */
public final class RtspServer implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";
    private final Path clip;
    private final int port;
    private final String path;
    private final int fps;
    private Process process;

    public RtspServer(Path clip, int port, String path, int fps) {
        this.clip = clip;
        this.port = port;
        this.path = path;
        this.fps = fps;
    }

    public static RtspServer start(Path clip, String path, int fps) {
        RtspServer s = new RtspServer(clip, freePort(), path, fps);
        s.start();
        return s;
    }

    public synchronized RtspServer start() {
        try {
            Path script = Files.createTempFile("vigil-rtsp", ".py");
            try (InputStream in = RtspServer.class.getResourceAsStream("rtsp_server.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            script.toFile().deleteOnExit();
            process = new ProcessBuilder(
                            PYTHON,
                            script.toString(),
                            "--file",
                            clip.toString(),
                            "--port",
                            String.valueOf(port),
                            "--path",
                            path,
                            "--fps",
                            String.valueOf(fps))
                    .redirectErrorStream(true)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("READY")) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "the GStreamer RTSP server did not start (" + line + "); install"
                                + " python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{base,good,bad} (scripts/setup-debian.sh)");
            }
            Thread drain = new Thread(
                    () -> {
                        try {
                            while (out.readLine() != null) {
                                // keep the pipe from filling
                            }
                        } catch (IOException ignored) {
                            // process gone
                        }
                    },
                    "rtsp-server-log");
            drain.setDaemon(true);
            drain.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + PYTHON + " for the RTSP server: " + e.getMessage(), e);
        }
    }

    public String url() {
        return "rtsp://127.0.0.1:" + port + path;
    }

    public int port() {
        return port;
    }

    /** SIGSTOP: the server keeps its sockets but sends nothing, like a hung camera. */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid()))
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the server; {@link #start()} brings it back on the same port. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            resume();
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
