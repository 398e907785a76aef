package io.vigil.inference.track;

import io.vigil.api.face.FaceBox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Follows the faces of one camera from frame to frame, in the manner of SORT: each track's box is predicted forward
 * by its velocity, detections are assigned to tracks greedily by IoU with the prediction (then, for faces moving faster
 * than IoU can follow at a few frames per second, by centre distance within a face width of the prediction, or 2.5 for a
 * track whose velocity is not known yet), unassigned detections start
 * tracks, and a track ends when it is missed where the picture changed, after it has been missed in several frames
 * that examined its place, or when it has not been seen for the time to live (frames can be dropped or gated; the periodic full pass keeps still faces seen).
 *
 * <p>A track asks for its face to be embedded when it starts, and again only for a better view: a face at least
 * {@link #LARGER} times larger, or {@link #SHARPER} times sharper and not much smaller, than its best embedded view; and
 * on each sighting until one of its views has passed the quality gates (at most {@link #MAX_TRIES} tries); and, as a
 * safety net, once the refresh time has passed since its last embedding. Not thread-safe: one per camera, used by
 * the worker thread that owns the camera's partition.
 */
public final class FaceTracker {
    static final float MATCH_IOU = 0.3f;
    /**
     * How far (in face widths) a face may be from a track's predicted place and still continue it: a track whose
     * velocity is not known yet allows more, since a person walking across the view at 5 fps moves about 1.4 face
     * widths per frame (1.4 m/s, a face about 0.2 m wide).
     */
    static final float REACH_MOVING = 1.0f;

    static final float REACH_NEW = 2.5f;
    static final float LARGER = 1.25f;
    static final double SHARPER = 1.5;
    /** Past this, a velocity is not extrapolated further (a long gap is a stop, not a glide). */
    static final long MAX_PREDICT_MS = 1_000;
    /** Views of a track embedded before one passes the gates; after that, only better views are tried. */
    static final int MAX_TRIES = 5;

    /** What the tracker needs to know of a detection. */
    public record Sighting(FaceBox box, double sharpness) {
        float size() {
            return Math.min(box.width(), box.height());
        }
    }

    /** The tracker's verdict on one sighting: its track, and whether to embed this view. */
    public record Decision(long trackId, boolean embed, boolean newTrack) {}

    /**
     * @param ttlMs     a track not seen for this long ends
     * @param maxMisses a track missed in this many examined frames in a row ends
     * @param refreshMs a track's face is embedded again after this long whatever its view (0 = never): a safety net
     *                  for the tracker's mistakes (two people who cross and swap tracks, one face replacing another
     *                  in the same place) and for people enrolled while they stand in view
     */
    public record Settings(long ttlMs, int maxMisses, long refreshMs) {
        public static final Settings DEFAULT = new Settings(6_000, 3, 10_000);
    }

    /** Told when a track ends, with how many of its views were embedded and how many were not. */
    public interface Listener {
        Listener NONE = (embedded, skipped) -> {};

        void ended(int embedded, int skipped);
    }

    private static final class Track {
        final long id;
        FaceBox box;
        float vx; // centre velocity, px per ms
        float vy;
        boolean moving; // its velocity was measured
        long seenAtMs;
        long embeddedAtMs;
        int misses;
        float bestSize;
        double bestSharpness;
        boolean accepted;
        int embedded;
        int skipped;

        Track(long id, FaceBox box, long at) {
            this.id = id;
            this.box = box;
            this.seenAtMs = at;
            this.embeddedAtMs = at;
        }

        FaceBox predicted(long at) {
            long dt = Math.min(MAX_PREDICT_MS, Math.max(0, at - seenAtMs));
            return new FaceBox(box.x1() + vx * dt, box.y1() + vy * dt, box.x2() + vx * dt, box.y2() + vy * dt);
        }
    }

    private final Settings settings;
    private final LongSupplier ids;
    private final Listener listener;
    private final List<Track> tracks = new ArrayList<>();
    private long lastFrameMs = Long.MIN_VALUE;

    public FaceTracker(Settings settings, LongSupplier ids, Listener listener) {
        this.settings = settings;
        this.ids = ids;
        this.listener = listener;
    }

    /** Live tracks. */
    public int size() {
        return tracks.size();
    }

    /**
     * One frame's sightings, in frame order; returns a decision per sighting, in their order.
     *
     * @param examined the areas {x, y, w, h} the detector examined in this frame, null = all of it: a track whose
     *                 predicted centre lies outside them was not looked for, so it is not missed
     * @param changed  whether the pixels under a box changed since the camera's previous frame (from the frame's
     *                 motion grid; always false when motion was not measured): a track missed where the picture
     *                 changed has left (or was covered), and ends at once, so a face that appears in its place next
     *                 starts a track of its own
     */
    public List<Decision> update(
            List<Sighting> sightings, long captureMs, List<int[]> examined, Predicate<FaceBox> changed) {
        if (lastFrameMs != Long.MIN_VALUE && captureMs < lastFrameMs - 1_000) {
            reset(); // the camera's clock went back (a restarted stream): its faces start anew
        }
        lastFrameMs = Math.max(lastFrameMs, captureMs);
        List<FaceBox> predicted = new ArrayList<>(tracks.size());
        for (Track t : tracks) {
            predicted.add(t.predicted(captureMs));
        }
        Track[] assigned = new Track[sightings.size()];
        boolean[] taken = new boolean[tracks.size()];
        assign(sightings, predicted, assigned, taken, true);
        assign(sightings, predicted, assigned, taken, false);

        List<Decision> out = new ArrayList<>(sightings.size());
        for (int i = 0; i < sightings.size(); i++) {
            Sighting s = sightings.get(i);
            Track t = assigned[i];
            if (t == null) {
                t = new Track(ids.getAsLong(), s.box(), captureMs);
                tracks.add(t);
                t.bestSize = s.size();
                t.bestSharpness = s.sharpness();
                t.embedded++;
                out.add(new Decision(t.id, true, true));
                continue;
            }
            long dt = captureMs - t.seenAtMs;
            if (dt > 0) {
                float cx = (s.box().x1() + s.box().x2() - t.box.x1() - t.box.x2()) / 2 / dt;
                float cy = (s.box().y1() + s.box().y2() - t.box.y1() - t.box.y2()) / 2 / dt;
                t.vx = t.moving ? 0.5f * t.vx + 0.5f * cx : cx;
                t.vy = t.moving ? 0.5f * t.vy + 0.5f * cy : cy;
                t.moving = true;
            }
            t.box = s.box();
            t.seenAtMs = Math.max(t.seenAtMs, captureMs);
            t.misses = 0;
            boolean better = s.size() >= LARGER * t.bestSize
                    || (s.sharpness() >= SHARPER * t.bestSharpness && s.size() >= 0.8f * t.bestSize);
            boolean stale = settings.refreshMs() > 0 && captureMs - t.embeddedAtMs >= settings.refreshMs();
            boolean embed = (!t.accepted && t.embedded < MAX_TRIES) || better || stale;
            if (embed) {
                t.embeddedAtMs = captureMs;
                t.bestSize = Math.max(t.bestSize, s.size());
                t.bestSharpness = Math.max(t.bestSharpness, s.sharpness());
                t.embedded++;
            } else {
                t.skipped++;
            }
            out.add(new Decision(t.id, embed, false));
        }
        for (int k = 0; k < taken.length; k++) {
            Track t = tracks.get(k);
            if (!taken[k] && inside(predicted.get(k), examined)) {
                t.misses = changed.test(predicted.get(k)) ? settings.maxMisses() : t.misses + 1;
            }
        }
        tracks.removeIf(t -> {
            boolean over = t.misses >= settings.maxMisses() || captureMs - t.seenAtMs > settings.ttlMs();
            if (over) {
                listener.ended(t.embedded, t.skipped);
            }
            return over;
        });
        return out;
    }

    /** Marks the track's embedded view as having passed the quality gates (a match-worthy view exists). */
    public void accepted(long trackId) {
        for (Track t : tracks) {
            if (t.id == trackId) {
                t.accepted = true;
            }
        }
    }

    /** Ends every track (a camera restart or a rebalance): the next faces start new tracks. */
    public void reset() {
        tracks.forEach(t -> listener.ended(t.embedded, t.skipped));
        tracks.clear();
        lastFrameMs = Long.MIN_VALUE;
    }

    private void assign(
            List<Sighting> sightings, List<FaceBox> predicted, Track[] assigned, boolean[] taken, boolean byIou) {
        record Pair(int sighting, int track, float cost) {}
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < sightings.size(); i++) {
            if (assigned[i] != null) {
                continue;
            }
            FaceBox b = sightings.get(i).box();
            for (int k = 0; k < predicted.size(); k++) {
                if (taken[k]) {
                    continue;
                }
                FaceBox p = predicted.get(k);
                if (byIou) {
                    float iou = b.iou(p);
                    if (iou >= MATCH_IOU) {
                        pairs.add(new Pair(i, k, -iou));
                    }
                } else {
                    float dx = (b.x1() + b.x2() - p.x1() - p.x2()) / 2;
                    float dy = (b.y1() + b.y2() - p.y1() - p.y2()) / 2;
                    float dist = (float) Math.hypot(dx, dy);
                    float ratio = Math.min(b.width(), p.width()) / Math.max(b.width(), p.width());
                    float reach = tracks.get(k).moving ? REACH_MOVING : REACH_NEW;
                    if (dist <= reach * Math.max(b.width(), p.width()) && ratio >= 0.5f) {
                        pairs.add(new Pair(i, k, dist));
                    }
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::cost));
        for (Pair p : pairs) {
            if (assigned[p.sighting] == null && !taken[p.track]) {
                assigned[p.sighting] = tracks.get(p.track);
                taken[p.track] = true;
            }
        }
    }

    private static boolean inside(FaceBox b, List<int[]> areas) {
        if (areas == null) {
            return true;
        }
        float cx = (b.x1() + b.x2()) / 2;
        float cy = (b.y1() + b.y2()) / 2;
        for (int[] a : areas) {
            if (cx >= a[0] && cx < a[0] + a[2] && cy >= a[1] && cy < a[1] + a[3]) {
                return true;
            }
        }
        return false;
    }
}
