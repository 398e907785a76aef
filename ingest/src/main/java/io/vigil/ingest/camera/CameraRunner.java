package io.vigil.ingest.camera;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.api.Secrets;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraState;
import io.vigil.api.frame.Frame;
import io.vigil.api.frame.Motion;
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

/**
 * One camera: a decoding thread (connect, grab, sample by capture time, motion gate, scale, JPEG-encode) and a
 * publishing thread,
 * joined by a small queue that drops its oldest frame when publishing falls behind. Failures reconnect with capped
 * exponential backoff; nothing here can affect another camera.
 */
public final class CameraRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraRunner.class);
    private final CameraSpec spec;
    private final IngestConfig config;
    private final FrameSink sink;
    private final CameraStatusReporter status;
    private final CameraPolicy policy;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final BlockingQueue<Frame> queue;
    private final Thread decoder;
    private final Thread publisher;
    private volatile boolean running = true;
    private volatile long lastFrameAtMs;
    /**
     * One for the camera's whole life, never reset: once {@link #close()} has set it, every FFmpeg call of this camera
     * ends at once, also one that was about to start when the camera was closed.
     */
    private final FfmpegSource.Interrupt interrupt = new FfmpegSource.Interrupt();

    /** Where sampled frames go. */
    public interface FrameSink {
        void publish(Frame frame) throws InterruptedException;
    }

    public CameraRunner(
            CameraSpec spec,
            IngestConfig config,
            FrameSink sink,
            CameraStatusReporter status,
            MeterRegistry registry,
            Clock clock) {
        this.spec = spec;
        this.config = config;
        this.sink = sink;
        this.status = status;
        this.policy = config.policy();
        this.metrics = new IngestMetrics(spec.id(), status, clock);
        this.metrics.bindTo(registry);
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
            String refused = policy.connectProblem(spec);
            if (refused != null) {
                // a URL this deployment does not allow is never opened, and never retried until it is changed
                metrics.refused.increment();
                status.report(spec.id(), CameraState.FAILED, refused);
                LOG.warn("{}", refused);
                return;
            }
            status.report(spec.id(), CameraState.CONNECTING, null);
            String reason;
            try (FfmpegSource source = FfmpegSource.open(spec, config.timeout(), config.decoding(), interrupt)) {
                Sampler sampler = new Sampler(spec.fps());
                MotionGate gate = new MotionGate(config.motion());
                Clocking clocking = new Clocking(source.needsPacing());
                boolean streaming = false;
                while (running) {
                    long t0 = System.nanoTime();
                    try (PointerScope scope = new PointerScope()) {
                        FrameSource.Decoded d = source.next(sampler.expectNext());
                        sampler.seen(d.timestampMicros());
                        metrics.decode.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                        metrics.decoded.increment();
                        status.countInput(spec.id());
                        long captureMs = clocking.captureMs(d.timestampMicros());
                        if (!streaming) {
                            streaming = true;
                            everStreamed = true;
                            attempt = 0;
                            status.report(spec.id(), CameraState.STREAMING, null);
                        }
                        if (!d.kept() || !sampler.take(d.timestampMicros())) {
                            // not due, or due but not kept (mis-predicted): then the next frame is taken
                            metrics.sampledOut.increment();
                            continue;
                        }
                        Motion motion = Motion.UNMEASURED;
                        if (config.motion().enabled()) {
                            long g0 = System.nanoTime();
                            motion = gate.check(source.grey(), captureMs);
                            metrics.motion.record(System.nanoTime() - g0, TimeUnit.NANOSECONDS);
                        }
                        if (motion == null) {
                            // nothing moved and no full pass is due: never converted to BGR, never encoded
                            metrics.gated.increment();
                            continue;
                        }
                        handOff(encode(source.bgr(), sequence++, captureMs, motion));
                    }
                }
                break;
            } catch (FrameSource.StreamException e) {
                reason = e.getMessage();
            } catch (InterruptedException e) {
                break;
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                    throw (VirtualMachineError) e;
                }
                // whatever went wrong with this camera stays with this camera: reconnect
                reason = Secrets.maskText(e.toString());
                LOG.warn("Camera {} failed unexpectedly: {}", spec.id(), reason);
            }
            if (!running) {
                break;
            }
            metrics.reconnects.increment();
            status.report(spec.id(), everStreamed ? CameraState.RECONNECTING : CameraState.FAILED, reason);
            long delay = backoff.delayMs(attempt++);
            LOG.info(
                    "Camera {} {}: {}; retrying in {} ms",
                    spec.id(),
                    everStreamed ? "lost" : "unavailable",
                    Secrets.maskText(reason),
                    delay);
            if (!sleep(delay)) {
                break;
            }
        }
        status.report(spec.id(), CameraState.STOPPED, null);
    }

    /**
     * Capture times: the stream's timestamps anchored to the wall clock when the first frame came. A live frame
     * cannot be captured in the future (frames buffered while the stream was probed arrive in a burst), so the
     * anchor is pulled back when one would be; a file is paced to real time instead.
     */
    private final class Clocking {
        private final boolean paced;
        private long anchorMs = Long.MIN_VALUE;
        private long firstTs;

        Clocking(boolean paced) {
            this.paced = paced;
        }

        long captureMs(long timestampMicros) throws InterruptedException {
            if (anchorMs == Long.MIN_VALUE || timestampMicros < firstTs) {
                anchorMs = clock.millis();
                firstTs = timestampMicros;
            }
            long captureMs = anchorMs + (timestampMicros - firstTs) / 1000;
            long now = clock.millis();
            if (captureMs > now && !paced) {
                anchorMs -= captureMs - now;
                captureMs = now;
            }
            if (paced && captureMs > now) {
                Thread.sleep(captureMs - now);
            }
            return captureMs;
        }
    }

    private Frame encode(Mat image, long sequence, long captureMs, Motion motion) {
        long t0 = System.nanoTime();
        Mat out = image;
        if (spec.maxWidth() > 0 && image.cols() > spec.maxWidth()) {
            out = new Mat();
            int h = Math.max(1, (int) Math.round((double) image.rows() * spec.maxWidth() / image.cols()));
            resize(image, out, new Size(spec.maxWidth(), h), 0, 0, INTER_AREA);
        }
        try (BytePointer buf = new BytePointer();
                IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, config.jpegQuality())) {
            imencode(".jpg", out, buf, params);
            byte[] jpeg = new byte[(int) buf.limit()];
            buf.get(jpeg);
            metrics.encode.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            return new Frame(spec.id(), sequence, captureMs, out.cols(), out.rows(), jpeg, motion);
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
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                    throw (VirtualMachineError) e;
                }
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

    /** Stops the camera; returns once its threads have ended (an open or read in progress is interrupted at once). */
    @Override
    public void close() {
        running = false;
        interrupt.interrupt();
        decoder.interrupt();
        try {
            decoder.join(5_000);
            publisher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (decoder.isAlive()) {
            LOG.warn("Camera {} did not stop within the timeout", spec.id());
        }
        metrics.close();
        if (!decoder.isAlive()) {
            interrupt.close(); // FFmpeg no longer holds it
        }
    }
}
