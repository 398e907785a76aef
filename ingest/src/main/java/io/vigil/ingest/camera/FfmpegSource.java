package io.vigil.ingest.camera;

import io.vigil.api.camera.CameraSpec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;

import java.time.Duration;

/**
 * An FFmpeg (JavaCV) stream. RTSP always over TCP, and the {@code timeout} option always set: without it a stalled
 * server blocks {@code start()} and {@code grab()} forever. A null frame on a live stream means it is gone.
 */
final class FfmpegSource implements FrameSource {
    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final FFmpegFrameGrabber grabber;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private final boolean file;
    private final long timeoutMs;

    private FfmpegSource(FFmpegFrameGrabber grabber, boolean file, long timeoutMs) {
        this.grabber = grabber;
        this.file = file;
        this.timeoutMs = timeoutMs;
    }

    static FfmpegSource open(CameraSpec spec, Duration timeout) throws StreamException {
        String url = spec.url().startsWith("file:") ? spec.url().replaceFirst("^file:(//)?", "") : spec.url();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(url);
        String micros = String.valueOf(timeout.toMillis() * 1000);
        if (spec.url().startsWith("rtsp")) {
            g.setOption("rtsp_transport", "tcp");
        }
        g.setOption("timeout", micros);
        if (spec.keyframesOnly()) {
            g.setVideoOption("skip_frame", "nokey");
        }
        spec.options().forEach(g::setOption);
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            release(g);
            throw new StreamException(reason(e), e);
        }
        return new FfmpegSource(g, spec.url().startsWith("file:"), timeout.toMillis());
    }

    @Override
    public Decoded next(boolean convert) throws StreamException {
        long t0 = System.nanoTime();
        Frame f;
        try {
            f = grabber.grabFrame(false, true, convert, false, false);
        } catch (FrameGrabber.Exception e) {
            throw new StreamException(reason(e), e);
        }
        if (f == null || (convert && f.image == null)) {
            long waited = (System.nanoTime() - t0) / 1_000_000;
            throw new StreamException(file ? "end of file" : waited >= timeoutMs * 9 / 10
                    ? "stalled: no data for " + waited + " ms (VIGIL_INGEST_TIMEOUT)" : "stream ended or connection lost", null);
        }
        return new Decoded(convert ? converter.convert(f) : null, grabber.getTimestamp());
    }

    @Override
    public boolean needsPacing() {
        return file;
    }

    @Override
    public void close() {
        release(grabber);
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.release();
        } catch (FrameGrabber.Exception ignored) {
            // closing a broken stream: nothing more to do
        }
    }

    private static final java.util.regex.Pattern ERROR_CODE = java.util.regex.Pattern.compile("error (-\\d+)");

    /** FFmpeg's message without JavaCV's hints, with the error code spelled out ("Connection refused"). */
    static String reason(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        m = m.replace("(Has setFormat() been called?)", "")
                .replace("(For more details, make sure FFmpegLogCallback.set() has been called.)", "")
                .replaceAll("\\s+", " ").trim();
        java.util.regex.Matcher code = ERROR_CODE.matcher(m);
        if (code.find()) {
            byte[] buf = new byte[256];
            if (avutil.av_strerror(Integer.parseInt(code.group(1)), buf, buf.length) == 0) {
                String text = new String(buf, java.nio.charset.StandardCharsets.UTF_8).trim().replace("\0", "");
                int nul = text.indexOf('\0');
                m = (nul >= 0 ? text.substring(0, nul) : text) + ": " + m;
            }
        }
        return m;
    }
}
