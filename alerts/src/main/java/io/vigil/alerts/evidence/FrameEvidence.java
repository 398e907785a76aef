package io.vigil.alerts.evidence;

import io.vigil.alerts.access.Access;
import io.vigil.alerts.stream.AlertHub;
import io.vigil.api.alert.Alert;
import io.vigil.api.face.FaceBox;
import io.vigil.api.frame.Frame;
import io.vigil.api.frame.FrameRef;
import io.vigil.api.serde.WireFormatException;
import io.vigil.runtime.http.HttpCall;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.kafka.RecordFetcher;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code GET /alerts/{alertId}/frame}: the whole frame an alert was raised on, as a JPEG with the face boxed, read
 * from the frames topic at the place the alert names while the topic still holds it (410 after). Only alerts this
 * service holds can be opened, and only by whoever may see alerts.
 */
public final class FrameEvidence implements AutoCloseable {
    private final String framesTopic;
    private final Deserializer<Frame> frames;
    private final AlertHub hub;
    private final Access access;
    private final RecordFetcher fetcher;

    public FrameEvidence(
            Supplier<Consumer<byte[], byte[]>> consumers,
            String framesTopic,
            Deserializer<Frame> frames,
            AlertHub hub,
            Access access) {
        this.fetcher = new RecordFetcher(consumers);
        this.framesTopic = framesTopic;
        this.frames = frames;
        this.hub = hub;
        this.access = access;
    }

    public void register(HttpEndpoint http) {
        http.get("/alerts/{alertId}/frame", this::frame);
    }

    private void frame(HttpCall call) throws IOException {
        if (!access.admitOrRefuse(call)) {
            return;
        }
        call.responseHeader("Cache-Control", "no-store");
        Alert alert = hub.find(call.pathParam("alertId"));
        if (alert == null) {
            call.error(404, "this service holds no such alert (it keeps the newest VIGIL_ALERTS_RECENT alerts)");
            return;
        }
        FrameRef ref = alert.frame();
        if (ref == null) {
            call.error(404, "this alert does not say where its frame is (it was raised before alerts carried it)");
            return;
        }
        if (!ref.topic().equals(framesTopic)) {
            // whoever wrote the alert chose the topic: read frames only, never another topic's records
            call.error(404, "this alert's frame is not on this deployment's frames topic");
            return;
        }
        ConsumerRecord<byte[], byte[]> record;
        try {
            record = fetcher.fetch(ref.topic(), ref.partition(), ref.offset());
        } catch (RuntimeException e) {
            call.error(
                    503, "the frames topic cannot be read now (" + e.getClass().getSimpleName() + "); try again");
            return;
        }
        if (record == null) {
            call.error(
                    410,
                    "the frame is no longer on " + ref.topic() + ": frames are kept for VIGIL_RETENTION_FRAMES"
                            + " (default 1h)");
            return;
        }
        Frame frame;
        try {
            frame = frames.deserialize(ref.topic(), record.value());
        } catch (WireFormatException e) {
            call.error(502, "the record at that place is not a readable frame");
            return;
        }
        if (!frame.cameraId().equals(alert.cameraId()) || frame.sequence() != alert.frameSequence()) {
            call.error(409, "the record at that place is not this alert's frame");
            return;
        }
        call.respond(200, "image/jpeg", boxed(frame.jpeg(), alert.box()));
    }

    /** The JPEG with the face's box drawn on it. */
    static byte[] boxed(byte[] jpeg, FaceBox box) throws IOException {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        if (decoded == null) {
            throw new IOException("the frame's JPEG does not decode");
        }
        BufferedImage image = new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.drawImage(decoded, 0, 0, null);
            float stroke = Math.max(2f, image.getWidth() / 320f);
            g.setStroke(new BasicStroke(stroke));
            g.setColor(new Color(255, 59, 48));
            int x = Math.round(box.x1());
            int y = Math.round(box.y1());
            g.drawRect(x, y, Math.round(box.x2()) - x, Math.round(box.y2()) - y);
        } finally {
            g.dispose();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + 4096);
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), p);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
