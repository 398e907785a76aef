package io.vigil.ingest.camera;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraState;
import io.vigil.api.frame.Frame;
import io.vigil.ingest.IngestConfig;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * One camera: a decoding thread (connect, grab, sample by capture time, scale, JPEG-encode) and a publishing thread,
 * joined by a small queue that drops its oldest frame when publishing falls behind. Failures reconnect with capped
 * exponential backoff; nothing here can affect another camera.
 */
public final class CameraRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraRunner.class);
    private final CameraSpec spec;
    private final IngestConfig config;
    private final FrameSink sink;
    private final CameraStatusReporter status;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final BlockingQueue<Frame> queue;
    private final Thread decoder;
    private final Thread publisher;
    private volatile boolean running = true;
    private volatile long lastFrameAtMs;

    /** Where sampled frames go. */
    public interface FrameSink {
        void publish(Frame frame) throws InterruptedException;
    }

    public CameraRunner(CameraSpec spec, IngestConfig config, FrameSink sink, CameraStatusReporter status,
                        MeterRegistry registry, Clock clock) {
        this.spec = spec;
        this.config = config;
        this.sink = sink;
        this.status = status;
        this.metrics = new IngestMetrics(registry, spec.id());
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(config.queue());
        this.decoder = new Thread(this::decodeLoop, "camera-" + spec.id());
        this.publisher = new Thread(this::publishLoop, "camera-" + spec.id() + "-publish");
        decoder.setDaemon(true);
        publisher.setDaemon(true);
    }

    public CameraRunner start() {
        publisher.start();
        decoder.start();
        return this;
    }

    public CameraSpec spec() {
        return spec;
    }

    /** Capture time of the last published frame, epoch ms; 0 before the first. */
    public long lastFrameAtMs() {
        return lastFrameAtMs;
    }

    private void decodeLoop() {
        Backoff backoff = new Backoff(config.backoffMin(), config.backoffMax());
        int attempt = 0;
        boolean everStreamed = false;
        long sequence = 0;
        while (running) {
            status.report(spec, CameraState.CONNECTING, null);
            String reason;
            try (FrameSource source = FfmpegSource.open(spec, config.timeout())) {
                Sampler sampler = new Sampler(spec.fps());
                long anchorMs = Long.MIN_VALUE;
                long firstTs = 0;
                boolean streaming = false;
                while (running) {
                    long t0 = System.nanoTime();
                    try (PointerScope scope = new PointerScope()) {
                        FrameSource.Decoded d = source.next(sampler.expectNext());
                        sampler.seen(d.timestampMicros());
                        metrics.decode.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                        metrics.decoded.increment();
                        status.countInput(spec.id());
                        if (anchorMs == Long.MIN_VALUE || d.timestampMicros() < firstTs) {
                            anchorMs = clock.millis();
                            firstTs = d.timestampMicros();
                        }
                        long captureMs = anchorMs + (d.timestampMicros() - firstTs) / 1000;
                        long now = clock.millis();
                        if (captureMs > now && !source.needsPacing()) {
                            // frames buffered while the stream was probed arrive in a burst: a live frame cannot
                            // be captured in the future, so pull the anchor back
                            anchorMs -= captureMs - now;
                            captureMs = now;
                        }
                        if (source.needsPacing()) {
                            long ahead = captureMs - clock.millis();
                            if (ahead > 0) {
                                Thread.sleep(ahead);
                            }
                        }
                        if (!streaming) {
                            streaming = true;
                            everStreamed = true;
                            attempt = 0;
                            status.report(spec, CameraState.STREAMING, null);
                        }
                        if (d.image() == null || !sampler.take(d.timestampMicros())) {
                            // not due, or due but not converted (mis-predicted): then the next frame is taken
                            metrics.sampledOut.increment();
                            continue;
                        }
                        handOff(encode(d.image(), sequence++, captureMs));
                    }
                }
                break;
            } catch (FrameSource.StreamException e) {
                reason = e.getMessage();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                reason = e.toString();
                LOG.warn("Camera {} failed unexpectedly", spec.id(), e);
            }
            if (!running) {
                break;
            }
            metrics.reconnects.increment();
            status.report(spec, everStreamed ? CameraState.RECONNECTING : CameraState.FAILED, reason);
            long delay = backoff.delayMs(attempt++);
            LOG.info("Camera {} {}: {}; retrying in {} ms", spec.id(), everStreamed ? "lost" : "unavailable", reason, delay);
            if (!sleep(delay)) {
                break;
            }
        }
        status.report(spec, CameraState.STOPPED, null);
    }

    private Frame encode(Mat image, long sequence, long captureMs) {
        long t0 = System.nanoTime();
        Mat out = image;
        if (spec.maxWidth() > 0 && image.cols() > spec.maxWidth()) {
            out = new Mat();
            int h = Math.max(1, (int) Math.round((double) image.rows() * spec.maxWidth() / image.cols()));
            resize(image, out, new Size(spec.maxWidth(), h), 0, 0, INTER_AREA);
        }
        try (BytePointer buf = new BytePointer(); IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, config.jpegQuality())) {
            imencode(".jpg", out, buf, params);
            byte[] jpeg = new byte[(int) buf.limit()];
            buf.get(jpeg);
            metrics.encode.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            return new Frame(spec.id(), sequence, captureMs, out.cols(), out.rows(), jpeg);
        }
    }

    /** Hands a frame to the publisher; when it is behind, the oldest waiting frame is dropped and counted. */
    private void handOff(Frame frame) {
        while (!queue.offer(frame)) {
            if (queue.poll() != null) {
                metrics.droppedSlowPublisher.increment();
            }
        }
    }

    private void publishLoop() {
        while (running || !queue.isEmpty()) {
            try {
                Frame f = queue.poll(200, TimeUnit.MILLISECONDS);
                if (f == null) {
                    continue;
                }
                sink.publish(f);
                metrics.published.increment();
                metrics.bytes.record(f.jpeg().length);
                lastFrameAtMs = f.captureTimeMs();
                status.countPublished(spec.id(), f.captureTimeMs());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                metrics.failedPublish.increment();
                LOG.warn("Camera {}: publishing a frame failed: {}", spec.id(), e.toString());
            }
        }
    }

    private boolean sleep(long ms) {
        long end = System.currentTimeMillis() + ms;
        while (running && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(Math.min(100, end - System.currentTimeMillis() + 1));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return running;
    }

    /** Stops the camera; returns once its threads have ended (a grab in progress ends within the timeout). */
    @Override
    public void close() {
        running = false;
        decoder.interrupt();
        try {
            decoder.join(config.timeout().toMillis() + 5_000);
            publisher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (decoder.isAlive()) {
            LOG.warn("Camera {} did not stop within the timeout", spec.id());
        }
    }
}
