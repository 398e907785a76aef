package io.vigil.ingest.camera;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONKEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV444P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ444P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.vigil.api.Secrets;
import io.vigil.api.camera.CameraSpec;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream decoded with FFmpeg's own libraries (libavformat, libavcodec, libswscale). Every blocking call is bounded
 * twice: FFmpeg's socket {@code timeout}, and an interrupt callback that FFmpeg polls during I/O, which ends a call
 * when no data came for the timeout (a stall, whatever the protocol) or when {@link Interrupt#interrupt()} is called from
 * another thread, so closing a camera never waits for the network. Only the protocols the scheme needs may be
 * opened ({@code protocol_whitelist}); Vigil's safety options are applied after the camera's own.
 */
public final class FfmpegSource implements FrameSource {
    private static final int AVERROR_EAGAIN = -11;
    private static final long PROBE_BUDGET_NANOS = 15_000_000_000L;

    private final AVFormatContext format;
    private final AVCodecContext codec;
    private final int stream;
    private final double microsPerTick;
    private final Interrupt interrupt;
    private final boolean file;
    private final long timeoutNanos;
    private final boolean deblockAll;
    private final AVPacket packet = detached(av_packet_alloc());
    private final AVFrame frame = detached(av_frame_alloc());
    private SwsContext sws;
    private Mat bgr;
    private PointerPointer<Pointer> bgrData;
    private IntPointer bgrStride;
    private boolean draining;
    /** The last decoded frame is still referenced (its pixels may be read) until the next call. */
    private boolean kept;

    private boolean converted;
    private long lastMicros = Long.MIN_VALUE;
    /** Stream ticks per frame, for streams whose packets carry no timestamps (raw H.264 files). */
    private final long ticksPerFrame;

    private long nextSyntheticPts;

    /**
     * What FFmpeg polls during blocking I/O: a non-zero answer ends the call. One native callback serves every camera
     * (JavaCPP gives a callback class only a few native entry points, so one per camera would run out); each camera's
     * state (interrupted, deadline) lives in native memory that FFmpeg hands back as the callback's argument.
     */
    private static final class Poll extends AVIOInterruptCB.Callback_Pointer {
        static final Poll INSTANCE = new Poll();

        @Override
        public int call(Pointer opaque) {
            if (opaque == null || opaque.isNull()) {
                return 0;
            }
            LongPointer state = new LongPointer(opaque);
            return state.get(0) != 0 || System.nanoTime() > state.get(1) ? 1 : 0;
        }
    }

    /** One camera's interrupt: set from any thread by {@link #interrupt()}, armed with a deadline before each call. */
    public static final class Interrupt implements AutoCloseable {
        private final LongPointer state = new LongPointer(2).put(0, 0).put(1, Long.MAX_VALUE);

        public Interrupt() {
            PointerScope scope = PointerScope.getInnerScope();
            if (scope != null) {
                state.retainReference();
                scope.detach(state);
            }
        }

        /** Ends the current and every later FFmpeg call of this camera. */
        public void interrupt() {
            state.put(0, 1);
        }

        boolean interrupted() {
            return state.get(0) != 0;
        }

        void arm(long timeoutNanos) {
            state.put(1, System.nanoTime() + timeoutNanos);
        }

        boolean expired() {
            return System.nanoTime() > state.get(1);
        }

        Pointer pointer() {
            return state;
        }

        @Override
        public void close() {
            state.close();
        }
    }

    private FfmpegSource(
            AVFormatContext format,
            AVCodecContext codec,
            int stream,
            double microsPerTick,
            long ticksPerFrame,
            Interrupt interrupt,
            boolean file,
            long timeoutNanos,
            boolean deblockAll) {
        this.format = format;
        this.codec = codec;
        this.stream = stream;
        this.microsPerTick = microsPerTick;
        this.ticksPerFrame = ticksPerFrame;
        this.interrupt = interrupt;
        this.file = file;
        this.timeoutNanos = timeoutNanos;
        this.deblockAll = deblockAll;
    }

    /**
     * Opens the camera's stream. {@code interrupt} lets another thread end the opening (and later reads) at once.
     *
     * @throws StreamException with FFmpeg's reason, masked, when the stream cannot be opened
     */
    public static FfmpegSource open(CameraSpec spec, Duration timeout, Decoding decoding, Interrupt interrupt)
            throws StreamException {
        FfmpegLog.install();
        boolean file = spec.scheme().equals("file");
        String target = file ? spec.filePath() : spec.url();
        long timeoutNanos = timeout.toNanos();
        AVFormatContext format = avformat_alloc_context();
        format.interrupt_callback().callback(Poll.INSTANCE).opaque(interrupt.pointer());
        AVDictionary options = new AVDictionary(null);
        safeOptions(spec, timeout).forEach((k, v) -> av_dict_set(options, k, v, 0));
        AVCodecContext codec = null;
        try {
            // opening and probing receive data all along (FFmpeg reads up to 5 s of a stream to learn its format):
            // the socket timeout catches a silent server there; the callback bounds the whole and ends it on close.
            // Cutting a probe short mid-packet would leave the stream out of step, so its bound is generous.
            interrupt.arm(timeoutNanos + PROBE_BUDGET_NANOS);
            check(avformat_open_input(format, target, null, options), interrupt, "opening the stream");
            interrupt.arm(timeoutNanos + PROBE_BUDGET_NANOS);
            check(avformat_find_stream_info(format, (PointerPointer<?>) null), interrupt, "reading stream information");
            int stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (stream < 0) {
                throw new StreamException("the stream has no video", null);
            }
            AVStream video = format.streams(stream);
            AVCodec decoder = avcodec_find_decoder(video.codecpar().codec_id());
            if (decoder == null || decoder.isNull()) {
                throw new StreamException(
                        "no decoder for the stream's video codec (id "
                                + video.codecpar().codec_id() + ")",
                        null);
            }
            codec = avcodec_alloc_context3(decoder);
            check(avcodec_parameters_to_context(codec, video.codecpar()), interrupt, "reading codec parameters");
            codec.thread_count(decoding.threads());
            if (spec.keyframesOnly()) {
                codec.skip_frame(AVDISCARD_NONKEY);
            }
            check(avcodec_open2(codec, decoder, (AVDictionary) null), interrupt, "opening the decoder");
            double microsPerTick =
                    1e6 * video.time_base().num() / video.time_base().den();
            double fps =
                    video.avg_frame_rate().num() > 0 && video.avg_frame_rate().den() > 0
                            ? (double) video.avg_frame_rate().num()
                                    / video.avg_frame_rate().den()
                            : 25;
            long ticksPerFrame = Math.max(1, Math.round(1e6 / fps / microsPerTick));
            return new FfmpegSource(
                    format,
                    codec,
                    stream,
                    microsPerTick,
                    ticksPerFrame,
                    interrupt,
                    file,
                    timeoutNanos,
                    decoding.deblockAll());
        } catch (StreamException | RuntimeException e) {
            if (codec != null) {
                avcodec_free_context(codec);
            }
            if (!format.isNull()) { // a failed avformat_open_input has freed it already
                avformat_close_input(format);
            }
            throw e;
        } finally {
            av_dict_free(options);
        }
    }

    /**
     * The options FFmpeg gets: the camera's own (from {@link io.vigil.api.camera.CameraOptions}' allowlist) first,
     * then Vigil's, which win: transport, timeouts and the protocols this scheme may open.
     */
    static Map<String, String> safeOptions(CameraSpec spec, Duration timeout) {
        Map<String, String> o = new LinkedHashMap<>(spec.options());
        // FFmpeg's own socket timeouts: no data for this long ends a read (the interrupt callback bounds it too)
        String micros = String.valueOf(timeout.toMillis() * 1000);
        switch (spec.scheme()) {
            case "rtsp" -> {
                o.put("rtsp_transport", "tcp");
                o.put("protocol_whitelist", "rtsp,tcp");
            }
            case "rtsps" -> {
                o.put("rtsp_transport", "tcp");
                o.put("protocol_whitelist", "rtsps,rtsp,tls,tcp");
            }
            case "http", "https" -> o.put("protocol_whitelist", "http,https,tls,tcp,crypto");
            default -> o.put("protocol_whitelist", "file");
        }
        if (!spec.scheme().equals("file")) {
            o.put("timeout", micros);
            o.put("rw_timeout", micros);
        }
        return o;
    }

    @Override
    public Decoded next(boolean keep) throws StreamException {
        if (!deblockAll) {
            // read per slice as it is decoded, so with one decoder thread it applies to the frame received below
            codec.skip_loop_filter(keep ? AVDISCARD_DEFAULT : AVDISCARD_ALL);
        }
        if (kept) {
            av_frame_unref(frame);
            kept = false;
        }
        while (true) {
            int r = avcodec_receive_frame(codec, frame);
            if (r == 0) {
                long micros = micros();
                if (keep) {
                    kept = true;
                    converted = false;
                } else {
                    av_frame_unref(frame);
                }
                return new Decoded(micros, keep);
            }
            if (r == AVERROR_EOF) {
                throw new StreamException(file ? "end of file" : "stream ended or connection lost", null);
            }
            if (r != AVERROR_EAGAIN) {
                throw new StreamException("decoding failed: " + error(r), null);
            }
            if (draining) {
                throw new StreamException(file ? "end of file" : "stream ended or connection lost", null);
            }
            readPacket();
        }
    }

    private void readPacket() throws StreamException {
        long t0 = System.nanoTime();
        interrupt.arm(timeoutNanos);
        int r = av_read_frame(format, packet);
        try {
            if (r < 0) {
                if (interrupt.interrupted()) {
                    throw new StreamException("closed", null);
                }
                long waited = System.nanoTime() - t0;
                if (interrupt.expired() || waited >= timeoutNanos * 9 / 10) {
                    throw new StreamException(
                            "stalled: no data for " + waited / 1_000_000 + " ms (VIGIL_INGEST_TIMEOUT)", null);
                }
                if (r != AVERROR_EOF) {
                    throw new StreamException(
                            file ? "reading failed: " + error(r) : "connection lost: " + error(r), null);
                }
                draining = true;
                avcodec_send_packet(codec, null); // flush the decoder's last frames
                return;
            }
            if (packet.stream_index() == stream) {
                if (packet.pts() == AV_NOPTS_VALUE && packet.dts() == AV_NOPTS_VALUE) {
                    // no timestamps (a raw H.264 file): number the packets, so that a frame's time follows the
                    // packets it was decoded from even when the decoder skips frames (key frames only)
                    packet.pts(nextSyntheticPts);
                }
                nextSyntheticPts = (packet.pts() == AV_NOPTS_VALUE ? packet.dts() : packet.pts()) + ticksPerFrame;
                avcodec_send_packet(codec, packet); // a corrupt packet is skipped; the next key frame recovers
            }
        } finally {
            av_packet_unref(packet);
        }
    }

    private long micros() {
        long pts = frame.best_effort_timestamp();
        long us = pts == AV_NOPTS_VALUE
                ? (lastMicros == Long.MIN_VALUE ? 0 : lastMicros + 40_000)
                : Math.round(pts * microsPerTick);
        lastMicros = us;
        return us;
    }

    @Override
    public Mat grey() {
        requireKept();
        int f = frame.format();
        if (f == AV_PIX_FMT_YUV420P
                || f == AV_PIX_FMT_YUVJ420P
                || f == AV_PIX_FMT_NV12
                || f == AV_PIX_FMT_YUV422P
                || f == AV_PIX_FMT_YUVJ422P
                || f == AV_PIX_FMT_YUV444P
                || f == AV_PIX_FMT_YUVJ444P
                || f == AV_PIX_FMT_GRAY8) {
            // a header over the decoder's luma plane, freed with the caller's scope; the plane stays FFmpeg's
            return new Mat(frame.height(), frame.width(), CV_8UC1, frame.data(0), frame.linesize(0));
        }
        Mat grey = new Mat();
        cvtColor(bgr(), grey, COLOR_BGR2GRAY);
        return grey;
    }

    @Override
    public Mat bgr() {
        requireKept();
        if (!converted) {
            toBgr();
            converted = true;
        }
        return bgr;
    }

    private void requireKept() {
        if (!kept) {
            throw new IllegalStateException("no frame kept: call next(true) first");
        }
    }

    /** The frame as BGR pixels, in a buffer reused until the frame size changes (valid until the next call). */
    private Mat toBgr() {
        int w = frame.width();
        int h = frame.height();
        if (bgr == null || bgr.cols() != w || bgr.rows() != h) {
            releaseBuffers();
            bgr = detached(new Mat(h, w, CV_8UC3));
            bgrData = detached(new PointerPointer<>(1).put(bgr.data()));
            bgrStride = detached(new IntPointer(1).put((int) bgr.step()));
        }
        sws = detached(sws_getCachedContext(
                sws, w, h, frame.format(), w, h, AV_PIX_FMT_BGR24, SWS_BILINEAR, null, null, (double[]) null));
        sws_scale(sws, frame.data(), frame.linesize(), 0, h, bgrData, bgrStride);
        return bgr;
    }

    @Override
    public boolean needsPacing() {
        return file;
    }

    @Override
    public void close() {
        interrupt.arm(timeoutNanos); // closing may still talk to the server (an RTSP TEARDOWN): bounded like any call
        if (kept) {
            av_frame_unref(frame);
            kept = false;
        }
        releaseBuffers();
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        av_packet_free(packet);
        av_frame_free(frame);
        avcodec_free_context(codec);
        avformat_close_input(format);
    }

    private void releaseBuffers() {
        if (bgr != null && bgrData != null) {
            bgr.close();
            bgrData.close();
            bgrStride.close();
            bgr = null;
        }
    }

    /**
     * Keeps a pointer alive beyond the caller's {@link PointerScope} (the per-frame scope of the camera thread): a
     * reference for this source, then out of the scope, which drops the scope's own. {@link #close()} releases it.
     */
    private static <P extends Pointer> P detached(P p) {
        p.retainReference();
        PointerScope scope = PointerScope.getInnerScope();
        if (scope != null) {
            scope.detach(p);
        }
        return p;
    }

    private static void check(int r, Interrupt interrupt, String what) throws StreamException {
        if (r >= 0) {
            return;
        }
        if (interrupt.interrupted()) {
            throw new StreamException("closed", null);
        }
        if (interrupt.expired()) {
            throw new StreamException("timed out " + what, null);
        }
        throw new StreamException(error(r) + " (" + what + ")", null);
    }

    /** FFmpeg's text for an error code, e.g. "Connection refused"; masked like any text that may hold a URL. */
    static String error(int code) {
        byte[] buf = new byte[256];
        if (av_strerror(code, buf, buf.length) != 0) {
            return "error " + code;
        }
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return Secrets.maskText(new String(buf, 0, n, StandardCharsets.UTF_8).trim());
    }
}
