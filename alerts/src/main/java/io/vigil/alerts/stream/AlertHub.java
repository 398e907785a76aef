package io.vigil.alerts.stream;

import io.vigil.api.alert.Alert;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans alerts out to live subscribers (Server-Sent Events) and keeps the most recent ones. A subscriber that
 * cannot keep up loses its oldest pending alerts rather than slowing anyone else.
 */
public final class AlertHub {
    private final int keep;
    private final Deque<Alert> recent = new ArrayDeque<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    /** One live client with optional camera and person filters. */
    public static final class Subscriber {
        final String camera;
        final String person;
        final BlockingQueue<Alert> queue = new ArrayBlockingQueue<>(256);

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

    public void publish(Alert a) {
        synchronized (recent) {
            recent.addFirst(a);
            while (recent.size() > keep) {
                recent.removeLast();
            }
        }
        for (Subscriber s : subscribers) {
            if (s.wants(a)) {
                s.offer(a);
            }
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
        Subscriber s = new Subscriber(camera, person);
        subscribers.add(s);
        return s;
    }

    public void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    public int subscribers() {
        return subscribers.size();
    }
}
