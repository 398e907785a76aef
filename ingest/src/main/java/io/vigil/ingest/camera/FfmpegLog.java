package io.vigil.ingest.camera;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

import io.vigil.api.Secrets;
import io.vigil.runtime.kafka.RateLimitedLog;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's own log lines (errors only) go to SLF4J, masked (FFmpeg names URLs, with their passwords, in its
 * messages) and rate-limited per message, instead of to the process's stderr.
 */
final class FfmpegLog extends LogCallback {
    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.ingest.ffmpeg");
    private static final FfmpegLog INSTANCE = new FfmpegLog();
    private static volatile boolean installed;
    private final RateLimitedLog warn = new RateLimitedLog(LOG, 10_000);

    private FfmpegLog() {}

    static synchronized void install() {
        if (!installed) {
            av_log_set_level(AV_LOG_ERROR);
            setLogCallback(INSTANCE);
            installed = true;
        }
    }

    @Override
    public void call(int level, BytePointer message) {
        if (level > AV_LOG_ERROR || message == null || message.isNull()) {
            return;
        }
        String text = Secrets.maskText(message.getString().strip());
        if (!text.isEmpty()) {
            // the key drops numbers and addresses, so one recurring message is one key
            warn.warn(text.replaceAll("0x[0-9a-f]+|\\d+", "#"), "FFmpeg: {}", text);
        }
    }
}
