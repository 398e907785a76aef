package io.vigil.inference.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.api.face.FaceBox;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

class FaceTrackerTest {
    private final AtomicLong ids = new AtomicLong(100);
    private final List<int[]> ended = new ArrayList<>();
    private final FaceTracker tracker = new FaceTracker(
            new FaceTracker.Settings(6_000, 3, 0), ids::incrementAndGet, (e, s) -> ended.add(new int[] {e, s}));

    private static final Predicate<FaceBox> UNCHANGED = b -> false;

    private static FaceTracker.Sighting at(float x, float y, float size, double sharpness) {
        return new FaceTracker.Sighting(new FaceBox(x, y, x + size, y + size), sharpness);
    }

    @Test
    void aFaceWalkingAcrossIsOneTrackEmbeddedOnce() {
        int embeds = 0;
        long track = -1;
        // 80 px faces moving 60 px per frame at 5 fps: consecutive boxes overlap by IoU 0.14, too little for IoU alone
        for (int f = 0; f < 15; f++) {
            List<FaceTracker.Decision> d =
                    tracker.update(List.of(at(100 + 60 * f, 300, 80, 50)), f * 200L, null, UNCHANGED);
            assertThat(d).hasSize(1);
            if (f == 0) {
                track = d.get(0).trackId();
                tracker.accepted(track);
            }
            assertThat(d.get(0).trackId()).as("frame %d", f).isEqualTo(track);
            embeds += d.get(0).embed() ? 1 : 0;
        }
        assertThat(embeds).isEqualTo(1);
        assertThat(tracker.size()).isEqualTo(1);
    }

    @Test
    void aFaceCrossingTheViewFasterThanItsWidthPerFrameKeepsItsTrack() {
        // measured on the bench's walk clip: 97 px faces moving 108 px per frame at 5 fps
        long track = tracker.update(List.of(at(17, 262, 97, 50)), 0, null, UNCHANGED)
                .get(0)
                .trackId();
        tracker.accepted(track);
        for (int f = 1; f < 11; f++) {
            FaceTracker.Decision d = tracker.update(
                            List.of(at(17 + 108 * f, 262 + (f % 2) * 3, 97, 50)), f * 200L, null, UNCHANGED)
                    .get(0);
            assertThat(d.trackId()).as("frame %d", f).isEqualTo(track);
            assertThat(d.embed()).isFalse();
        }
    }

    @Test
    void aLargerOrSharperViewIsEmbeddedAgain() {
        long id = tracker.update(List.of(at(100, 100, 60, 40)), 0, null, UNCHANGED)
                .get(0)
                .trackId();
        tracker.accepted(id);
        assertThat(tracker.update(List.of(at(102, 100, 62, 45)), 200, null, UNCHANGED)
                        .get(0)
                        .embed())
                .as("about the same")
                .isFalse();
        assertThat(tracker.update(List.of(at(100, 100, 80, 45)), 400, null, UNCHANGED)
                        .get(0)
                        .embed())
                .as("1.33x larger")
                .isTrue();
        assertThat(tracker.update(List.of(at(100, 100, 80, 50)), 600, null, UNCHANGED)
                        .get(0)
                        .embed())
                .isFalse();
        assertThat(tracker.update(List.of(at(100, 100, 78, 70)), 800, null, UNCHANGED)
                        .get(0)
                        .embed())
                .as("1.75x sharper")
                .isTrue();
    }

    @Test
    void aTrackWhoseViewsFailedTheGatesTriesAgainUpToItsLimit() {
        int tries = 0;
        for (int f = 0; f < 10; f++) {
            tries += tracker.update(List.of(at(100, 100, 60, 5)), f * 200L, null, UNCHANGED)
                            .get(0)
                            .embed()
                    ? 1
                    : 0;
        }
        assertThat(tries).isEqualTo(FaceTracker.MAX_TRIES);
    }

    @Test
    void twoFacesCrossingKeepTheirTracks() {
        List<FaceTracker.Decision> first =
                tracker.update(List.of(at(100, 300, 80, 50), at(900, 300, 80, 50)), 0, null, UNCHANGED);
        long left = first.get(0).trackId();
        long right = first.get(1).trackId();
        for (int f = 1; f < 14; f++) {
            // they walk towards each other at different heights and pass
            List<FaceTracker.Decision> d = tracker.update(
                    List.of(at(900 - 60 * f, 330, 80, 50), at(100 + 60 * f, 300, 80, 50)), f * 200L, null, UNCHANGED);
            assertThat(d.get(1).trackId())
                    .as("frame %d, the one from the left", f)
                    .isEqualTo(left);
            assertThat(d.get(0).trackId())
                    .as("frame %d, the one from the right", f)
                    .isEqualTo(right);
        }
    }

    @Test
    void aTrackEndsAfterMissesWhereItWasLookedForButNotWhereItWasNot() {
        tracker.update(List.of(at(100, 100, 60, 40)), 0, null, UNCHANGED);
        List<int[]> elsewhere = List.of(new int[] {800, 0, 400, 300});
        for (int f = 1; f <= 5; f++) {
            tracker.update(List.of(), f * 200L, elsewhere, UNCHANGED);
        }
        assertThat(tracker.size()).as("not examined where it is: not missed").isEqualTo(1);
        for (int f = 6; f <= 8; f++) {
            tracker.update(List.of(), f * 200L, null, UNCHANGED);
        }
        assertThat(tracker.size()).isZero();
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0)[0]).isEqualTo(1);
    }

    @Test
    void aStillFaceSeenOnlyByFullPassesKeepsItsTrackAndAFaceBackLaterStartsANewOne() {
        long id = tracker.update(List.of(at(100, 100, 60, 40)), 0, null, UNCHANGED)
                .get(0)
                .trackId();
        tracker.accepted(id);
        for (long t = 2_000; t <= 10_000; t += 2_000) {
            FaceTracker.Decision d = tracker.update(List.of(at(101, 100, 60, 40)), t, null, UNCHANGED)
                    .get(0);
            assertThat(d.trackId()).isEqualTo(id);
            assertThat(d.embed()).isFalse();
        }
        tracker.update(List.of(), 12_000, List.of(new int[] {600, 0, 100, 100}), UNCHANGED);
        tracker.update(List.of(), 20_000, List.of(new int[] {600, 0, 100, 100}), UNCHANGED);
        assertThat(tracker.size())
                .as("not seen for longer than the time to live")
                .isZero();
        FaceTracker.Decision back = tracker.update(List.of(at(100, 100, 60, 40)), 21_000, null, UNCHANGED)
                .get(0);
        assertThat(back.newTrack()).isTrue();
        assertThat(back.trackId()).isNotEqualTo(id);
        assertThat(back.embed()).isTrue();
    }

    @Test
    void aTrackIsEmbeddedAgainAfterTheRefreshTime() {
        FaceTracker refreshing = new FaceTracker(
                new FaceTracker.Settings(6_000, 3, 10_000), ids::incrementAndGet, FaceTracker.Listener.NONE);
        long id = refreshing
                .update(List.of(at(100, 100, 60, 40)), 0, null, UNCHANGED)
                .get(0)
                .trackId();
        refreshing.accepted(id);
        int embeds = 0;
        for (long t = 200; t <= 25_000; t += 200) {
            embeds += refreshing
                            .update(List.of(at(100, 100, 60, 40)), t, null, UNCHANGED)
                            .get(0)
                            .embed()
                    ? 1
                    : 0;
        }
        assertThat(embeds).as("at 10 s and 20 s").isEqualTo(2);
    }

    @Test
    void aTrackMissedWhereThePictureChangedEndsAtOnceSoTheNextFaceThereIsANewTrack() {
        long first = tracker.update(List.of(at(100, 100, 60, 40)), 0, null, UNCHANGED)
                .get(0)
                .trackId();
        tracker.accepted(first);
        // the face is gone and the pixels where it was changed: it left
        tracker.update(List.of(), 200, null, b -> true);
        assertThat(tracker.size()).isZero();
        FaceTracker.Decision next = tracker.update(List.of(at(102, 100, 60, 40)), 400, null, UNCHANGED)
                .get(0);
        assertThat(next.newTrack()).isTrue();
        assertThat(next.embed()).isTrue();
    }

    @Test
    void aClockGoingBackStartsAnew() {
        long id = tracker.update(List.of(at(100, 100, 60, 40)), 50_000, null, UNCHANGED)
                .get(0)
                .trackId();
        FaceTracker.Decision d = tracker.update(List.of(at(100, 100, 60, 40)), 1_000, null, UNCHANGED)
                .get(0);
        assertThat(d.newTrack()).isTrue();
        assertThat(d.trackId()).isNotEqualTo(id);
    }
}
