package io.vigil.alerts.stream;

import io.vigil.api.alert.Alert;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans alerts out to live subscribers (Server-Sent Events) and keeps the most recent ones, each once. A subscriber
 * that cannot keep up loses its oldest pending alerts rather than slowing anyone else; one that reconnects with the
 * id of the last alert it saw gets every newer alert the hub still holds, in order, before the live ones.
 */
public final class AlertHub {
    private static final int QUEUE = 256;
    private final int keep;
    private final Deque<Alert> recent = new ArrayDeque<>();
    private final Set<String> held = new HashSet<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    /** One live client with optional camera and person filters. */
    public static final class Subscriber {
        final String camera;
        final String person;
        final BlockingQueue<Alert> queue = new ArrayBlockingQueue<>(QUEUE);

        Subscriber(String camera, String person) {
            this.camera = camera;
            this.person = person;
        }

        boolean wants(Alert a) {
            return (camera == null || camera.equals(a.cameraId())) && (person == null || person.equals(a.personId()));
        }

        void offer(Alert a) {
            while (!queue.offer(a)) {
                queue.poll();
            }
        }
    }

    public AlertHub(int keep) {
        this.keep = keep;
    }

    /** How many alerts the hub holds at most. */
    public int keep() {
        return keep;
    }

    /** Holds the alert and sends it to every subscriber that wants it; false (and nothing sent) if already held. */
    public boolean publish(Alert a) {
        synchronized (recent) {
            if (!held.add(a.alertId())) {
                return false;
            }
            recent.addFirst(a);
            while (recent.size() > keep) {
                held.remove(recent.removeLast().alertId());
            }
            for (Subscriber s : subscribers) {
                if (s.wants(a)) {
                    s.offer(a);
                }
            }
            return true;
        }
    }

    /** Newest first. */
    public List<Alert> recent(int limit, String camera, String person) {
        Subscriber filter = new Subscriber(camera, person);
        List<Alert> out = new ArrayList<>();
        synchronized (recent) {
            for (Alert a : recent) {
                if (out.size() >= limit) {
                    break;
                }
                if (filter.wants(a)) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    public Subscriber subscribe(String camera, String person) {
        return subscribe(camera, person, null);
    }

    /**
     * A new subscriber; with the id of the last alert a client saw ({@code Last-Event-ID}), the alerts it missed that
     * the hub still holds come first, oldest first. An id the hub no longer holds replays nothing.
     */
    public Subscriber subscribe(String camera, String person, String lastEventId) {
        Subscriber s = new Subscriber(camera, person);
        synchronized (recent) {
            if (lastEventId != null && held.contains(lastEventId)) {
                List<Alert> missed = new ArrayList<>();
                for (Alert a : recent) {
                    if (a.alertId().equals(lastEventId)) {
                        break;
                    }
                    if (s.wants(a)) {
                        missed.add(a);
                    }
                }
                for (int i = missed.size() - 1; i >= 0; i--) {
                    s.offer(missed.get(i));
                }
            }
            subscribers.add(s);
        }
        return s;
    }

    public void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    public int subscribers() {
        return subscribers.size();
    }

    /** The alert with this id if the hub holds it, else null. */
    public Alert find(String alertId) {
        synchronized (recent) {
            if (!held.contains(alertId)) {
                return null;
            }
            for (Alert a : recent) {
                if (a.alertId().equals(alertId)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** Whether the hub holds this alert. */
    public boolean holds(String alertId) {
        synchronized (recent) {
            return held.contains(alertId);
        }
    }
}
