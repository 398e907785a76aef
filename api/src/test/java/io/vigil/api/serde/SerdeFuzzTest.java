package io.vigil.api.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.api.Fixtures;
import io.vigil.api.alert.Alert;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraState;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.face.FaceBox;
import io.vigil.api.watchlist.WatchlistEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every deserializer of the wire contract, fed hostile bytes: random bytes, every truncation of valid records, bit
 * flips, inserted and deleted bytes, and (for JSON) valid JSON with fields swapped for wrong types and extreme
 * values. The only outcomes allowed: a valid record (one that encodes again), or a {@link WireFormatException}.
 * Seeded, so a failure names its seed and input and can be replayed.
 */
class SerdeFuzzTest {
    private static final int ROUNDS = 4_000;

    private record Case<T>(String name, WireSerde<T> serde, List<byte[]> samples) {}

    private static List<Case<?>> cases() {
        Instant t = Instant.parse("2026-11-28T09:00:00.120Z");
        Alert alert = new Alert(
                1,
                Alert.idFor("gate", "p-1", 3, t.toEpochMilli()),
                "gate",
                "p-1",
                "Jane Doe",
                0.7,
                0.4,
                t,
                t.plusMillis(90),
                90,
                3,
                new FaceBox(1, 2, 30, 40),
                new byte[] {(byte) 0xff, (byte) 0xd8, 7});
        JsonSerde<Alert> alerts = new JsonSerde<>(Alert.class);
        JsonSerde<CameraSpec> cameras = new JsonSerde<>(CameraSpec.class);
        JsonSerde<CameraStatus> statuses = new JsonSerde<>(CameraStatus.class);
        JsonSerde<WatchlistEntry> watchlist = new JsonSerde<>(WatchlistEntry.class);
        FrameSerde frames = new FrameSerde();
        FrameFacesSerde faces = new FrameFacesSerde();
        return List.of(
                new Case<>(
                        "frame", frames, List.of(frames.encode(Fixtures.frame(64)), frames.encode(Fixtures.frame(0)))),
                new Case<>(
                        "faces",
                        faces,
                        List.of(faces.encode(Fixtures.frameFaces(0)), faces.encode(Fixtures.frameFaces(2)))),
                new Case<>("alert", alerts, List.of(alerts.encode(alert))),
                new Case<>(
                        "camera",
                        cameras,
                        List.of(cameras.encode(new CameraSpec(
                                "lobby", "rtsp://u:p@10.0.0.5/s", 5, 1280, true, Map.of("rtsp_flags", "prefer_tcp"))))),
                new Case<>(
                        "camera-status",
                        statuses,
                        List.of(statuses.encode(new CameraStatus(
                                "lobby", CameraState.FAILED, "Connection refused", "w1", 5, 1.5, 1.0, 9)))),
                new Case<>(
                        "watchlist",
                        watchlist,
                        List.of(watchlist.encode(new WatchlistEntry(
                                "p-1",
                                "Jane",
                                List.of(Fixtures.unitVector(8, 1), Fixtures.unitVector(8, 2)),
                                0.45,
                                Map.of("team", "red"),
                                7)))));
    }

    @Test
    void randomBytesGiveATypedErrorOrAValidRecord() {
        for (Case<?> c : cases()) {
            Random r = new Random(c.name().hashCode());
            for (int i = 0; i < ROUNDS; i++) {
                byte[] b = new byte[r.nextInt(i % 10 == 0 ? 4096 : 64)];
                r.nextBytes(b);
                if (b.length > 0 && r.nextBoolean()) {
                    b[0] = 1; // a known version byte, so binary readers get past the first check
                }
                attempt(c, b, "random #" + i);
            }
        }
    }

    @Test
    void everyTruncationOfAValidRecordGivesATypedError() {
        for (Case<?> c : cases()) {
            for (byte[] sample : c.samples()) {
                for (int n = 0; n < sample.length; n++) {
                    attempt(c, Arrays.copyOf(sample, n), "truncated to " + n);
                }
            }
        }
    }

    @Test
    void bitFlipsInsertionsAndDeletionsGiveATypedErrorOrAValidRecord() {
        for (Case<?> c : cases()) {
            Random r = new Random(~c.name().hashCode());
            for (byte[] sample : c.samples()) {
                for (int i = 0; i < ROUNDS; i++) {
                    byte[] b = mutate(sample, r);
                    attempt(c, b, "mutation #" + i);
                }
            }
        }
    }

    @Test
    void jsonWithWrongTypesAndExtremeValuesGivesATypedErrorOrAValidRecord() throws Exception {
        List<String> hostile = List.of(
                "null",
                "true",
                "-1",
                "0",
                "1e308",
                "-1e308",
                "1e-320",
                "9223372036854775808",
                "\"\"",
                "\"x\\r\\ny\"",
                "\"" + "a".repeat(5000) + "\"",
                "[]",
                "[null]",
                "{}",
                "[[[[[[[[[[1]]]]]]]]]]",
                "\"\\u0000\"",
                "\"NaN\"",
                "\"2026-13-45T99:00:00Z\"",
                "[1e39]",
                "{\"a\":{\"b\":{}}}");
        for (Case<?> c : cases()) {
            if (!(c.serde() instanceof JsonSerde<?>)) {
                continue;
            }
            var tree = (ObjectNode) JsonSerde.MAPPER.readTree(c.samples().get(0));
            List<String> fields = new ArrayList<>();
            tree.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                for (String value : hostile) {
                    var copy = tree.deepCopy();
                    copy.set(field, JsonSerde.MAPPER.readTree(value));
                    attempt(c, JsonSerde.MAPPER.writeValueAsBytes(copy), field + "=" + abbreviate(value));
                    var without = tree.deepCopy();
                    without.remove(field);
                    attempt(c, JsonSerde.MAPPER.writeValueAsBytes(without), "without " + field);
                }
            }
            byte[] deep = ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
            attempt(c, deep, "100,000 nested arrays");
        }
    }

    private static byte[] mutate(byte[] sample, Random r) {
        byte[] b = sample.clone();
        int kind = r.nextInt(4);
        if (kind == 0) {
            for (int k = 1 + r.nextInt(8); k > 0; k--) {
                int bit = r.nextInt(b.length * 8);
                b[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            return b;
        }
        if (kind == 1) {
            int at = r.nextInt(b.length + 1);
            byte[] extra = new byte[1 + r.nextInt(8)];
            r.nextBytes(extra);
            byte[] out = new byte[b.length + extra.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(extra, 0, out, at, extra.length);
            System.arraycopy(b, at, out, at + extra.length, b.length - at);
            return out;
        }
        if (kind == 2 && b.length > 1) {
            int at = r.nextInt(b.length - 1);
            int n = 1 + r.nextInt(Math.min(8, b.length - at));
            byte[] out = new byte[b.length - n];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(b, at + n, out, at, b.length - at - n);
            return out;
        }
        // a length or count field set to an extreme value
        int at = r.nextInt(Math.max(1, b.length - 4));
        int v = r.nextBoolean() ? Integer.MAX_VALUE : r.nextBoolean() ? -1 : 0xffff;
        for (int k = 0; k < 4 && at + k < b.length; k++) {
            b[at + k] = (byte) (v >>> (24 - 8 * k));
        }
        return b;
    }

    private static <T> void attempt(Case<T> c, byte[] bytes, String what) {
        T value;
        try {
            value = c.serde().deserialize("fuzz", bytes);
        } catch (WireFormatException e) {
            assertThat(e.getMessage()).as(c.name() + " " + what).isNotBlank();
            return;
        } catch (Throwable t) {
            fail(c.name() + " " + what + ": " + t + " for input " + abbreviate(Arrays.toString(bytes)), t);
            return;
        }
        assertThat(value).as(c.name() + " " + what + " decoded to null").isNotNull();
        try {
            c.serde().serialize("fuzz", value);
        } catch (Throwable t) {
            fail(c.name() + " " + what + ": decoded a record that does not encode again: " + t, t);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
