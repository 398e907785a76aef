package io.vigil.console.routes;

import io.vigil.api.Ids;
import io.vigil.api.Text;
import io.vigil.api.audit.AuditEvent;
import io.vigil.api.watchlist.EnrolmentPhotos;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.console.ConsoleConfig;
import io.vigil.console.PhotoReader;
import io.vigil.console.access.Caller;
import io.vigil.console.access.Role;
import io.vigil.console.state.Tables;
import io.vigil.runtime.http.HttpCall;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.http.HttpRefusal;
import io.vigil.runtime.kafka.RecordFetcher;
import org.apache.kafka.clients.consumer.Consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /api/v1/people}: enrol by uploading photos (multipart), each run through the same detection and quality
 * gates as inference, server-side, with feedback per photo (face found or not, its size and sharpness, and people
 * already enrolled that it resembles); check photos without enrolling; list with thumbnails (the kept face crops);
 * remove. Writes the same records as {@code vigil watchlist add/rm}: the kept photos, then the entry.
 */
public final class PeopleApi implements AutoCloseable {
    /** Photos being read at once: the models take both cores of a small machine for each. */
    private static final int READERS = 1;

    /** Another enrolled person a photo resembles. */
    public record Duplicate(String personId, String name, double similarity) {}

    /** What one uploaded photo gave. */
    public record PhotoFeedback(
            int index,
            String fileName,
            boolean usable,
            int faces,
            int faceSize,
            double sharpness,
            String problem,
            List<Duplicate> duplicates) {}

    /** The answer to an upload: the person (when enrolled), each photo's feedback, and whether duplicates were checked. */
    public record Enrolment(PersonView person, List<PhotoFeedback> photos, boolean duplicatesChecked, String error) {}

    /** A person as the API lists them; {@code photo} is the first kept face crop's path, if any. */
    public record PersonView(
            String id,
            String name,
            Double threshold,
            Map<String, String> metadata,
            long enrolledAtMs,
            String model,
            int embeddings,
            int photos,
            String photo) {
        static PersonView of(Tables.Person p, Tables.PhotosAt at) {
            int n = at == null ? 0 : at.count();
            return new PersonView(
                    p.id(),
                    p.name(),
                    p.threshold(),
                    p.metadata(),
                    p.enrolledAtMs(),
                    p.model(),
                    p.embeddings(),
                    n,
                    n == 0 ? null : "/api/v1/people/" + p.id() + "/photos/0");
        }
    }

    public record PeopleList(int total, int offset, List<PersonView> people) {}

    private final Api api;
    private final Tables tables;
    private final PhotoReader reader;
    private final ConsoleConfig config;
    private final RecordFetcher records;
    private final Semaphore reading = new Semaphore(READERS, true);

    public PeopleApi(
            Api api,
            Tables tables,
            PhotoReader reader,
            ConsoleConfig config,
            Supplier<Consumer<byte[], byte[]>> consumers) {
        this.api = api;
        this.tables = tables;
        this.reader = reader;
        this.config = config;
        this.records = new RecordFetcher(consumers);
    }

    public void register(HttpEndpoint http) {
        http.get("/api/v1/people", this::list);
        http.post("/api/v1/people", this::enrol);
        http.post("/api/v1/people/check", this::check);
        http.get("/api/v1/people/{id}", this::one);
        http.delete("/api/v1/people/{id}", this::remove);
        http.get("/api/v1/people/{id}/photos/{n}", this::photo);
    }

    private void list(HttpCall call) throws IOException {
        api.require(call, Role.VIEWER);
        int offset = Query.integer(call, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = Query.integer(call, "limit", 100, 1, 1000);
        String search = call.query("q");
        List<Tables.Person> all = tables.people().values().stream()
                .filter(p -> search == null
                        || p.id().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT))
                        || p.name().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))
                .sorted(Comparator.comparing(Tables.Person::id))
                .toList();
        List<PersonView> page = all.stream()
                .skip(offset)
                .limit(limit)
                .map(p -> PersonView.of(p, tables.photos().get(p.id())))
                .toList();
        api.json(call, 200, new PeopleList(all.size(), offset, page));
    }

    private void one(HttpCall call) throws IOException {
        api.require(call, Role.VIEWER);
        Tables.Person p = known(call.pathParam("id"));
        api.json(call, 200, PersonView.of(p, tables.photos().get(p.id())));
    }

    private void photo(HttpCall call) throws IOException {
        api.require(call, Role.VIEWER);
        Tables.Person p = known(call.pathParam("id"));
        Tables.PhotosAt at = tables.photos().get(p.id());
        int n;
        try {
            n = Integer.parseInt(call.pathParam("n"));
        } catch (NumberFormatException e) {
            throw new HttpRefusal(400, "the photo number must be an integer from 0");
        }
        if (at == null || n < 0 || n >= at.count()) {
            throw new HttpRefusal(
                    404,
                    "person '" + p.id() + "' has " + (at == null ? 0 : at.count()) + " kept photos; ask for 0 to "
                            + Math.max(0, (at == null ? 0 : at.count()) - 1));
        }
        byte[] value;
        try {
            var record = records.fetch(api.topics().enrolmentPhotos.name(), at.partition(), at.offset());
            value = record == null ? null : record.value();
        } catch (RuntimeException e) {
            throw new HttpRefusal(503, "cannot read the enrolment photos now; try again");
        }
        if (value == null) {
            throw new HttpRefusal(404, "the photos of '" + p.id() + "' are no longer kept (retention or removal)");
        }
        EnrolmentPhotos photos = api.topics()
                .enrolmentPhotos
                .valueSerde()
                .deserializer()
                .deserialize(api.topics().enrolmentPhotos.name(), value);
        call.responseHeader("Cache-Control", "private, max-age=300");
        call.respond(200, "image/jpeg", photos.photos().get(n));
    }

    private void remove(HttpCall call) throws IOException {
        Caller caller = api.require(call, Role.OPERATOR);
        Tables.Person p = known(call.pathParam("id"));
        api.write(api.topics().watchlist, p.id(), null);
        api.write(api.topics().enrolmentPhotos, p.id(), null);
        tables.person(p.id(), null);
        api.audit(call, caller, AuditEvent.PERSON_DELETE, p.id(), p.name());
        call.respond(204, "application/json", new byte[0]);
    }

    private void check(HttpCall call) throws IOException {
        api.require(call, Role.OPERATOR);
        Upload upload = upload(call, false);
        List<Read> reads = read(upload.photos());
        boolean checked = tables.embeddings() != null;
        api.json(call, 200, new Enrolment(null, feedback(reads, null), checked, null));
    }

    private void enrol(HttpCall call) throws IOException {
        Caller caller = api.require(call, Role.OPERATOR);
        Upload upload = upload(call, true);
        if (tables.people().containsKey(upload.id())) {
            throw new HttpRefusal(
                    409,
                    "person '" + upload.id() + "' is enrolled; remove them first (DELETE /api/v1/people/" + upload.id()
                            + ") to enrol them again");
        }
        List<Read> reads = read(upload.photos());
        List<PhotoFeedback> feedback = feedback(reads, upload.id());
        boolean checked = tables.embeddings() != null;
        List<Read> usable = reads.stream().filter(r -> r.reading().usable()).toList();
        if (usable.isEmpty()) {
            api.json(
                    call,
                    422,
                    new Enrolment(
                            null,
                            feedback,
                            checked,
                            "no photo has one usable face, so '" + upload.id() + "' was not enrolled; see each"
                                    + " photo's problem"));
            return;
        }
        long now = api.clock().millis();
        WatchlistEntry entry;
        EnrolmentPhotos photos;
        try {
            entry = new WatchlistEntry(
                    upload.id(),
                    upload.name(),
                    usable.stream().map(r -> r.reading().embedding()).toList(),
                    upload.threshold(),
                    upload.metadata(),
                    now,
                    reader.model());
            photos = new EnrolmentPhotos(
                    upload.id(), usable.stream().map(r -> r.reading().kept()).toList(), now);
        } catch (IllegalArgumentException e) {
            throw new HttpRefusal(400, Text.cut(e.getMessage(), 400));
        }
        // the photos first: a person in the watchlist can always be embedded again
        var at = api.write(api.topics().enrolmentPhotos, entry.personId(), photos);
        api.write(api.topics().watchlist, entry.personId(), entry);
        tables.person(entry.personId(), entry);
        tables.photos()
                .put(
                        entry.personId(),
                        new Tables.PhotosAt(
                                at.partition(), at.offset(), photos.photos().size()));
        api.audit(
                call,
                caller,
                AuditEvent.PERSON_ENROL,
                entry.personId(),
                entry.displayName() + ", " + usable.size() + " of " + reads.size() + " photos");
        call.responseHeader("Location", "/api/v1/people/" + entry.personId());
        Tables.Person person = tables.people().get(entry.personId());
        api.json(
                call,
                201,
                new Enrolment(PersonView.of(person, tables.photos().get(entry.personId())), feedback, checked, null));
    }

    /** An upload's fields and photos. */
    private record Upload(
            String id,
            String name,
            Double threshold,
            Map<String, String> metadata,
            List<io.vigil.runtime.http.HttpCall.Part> photos) {}

    private Upload upload(HttpCall call, boolean enrol) throws IOException {
        List<HttpCall.Part> parts = call.multipart(
                config.maxPhotos() + 40, config.maxPhotoBytes(), config.maxUploadBytes(), ConsoleConfig.UPLOAD_TIMEOUT);
        String id = null;
        String name = null;
        Double threshold = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<HttpCall.Part> photos = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (HttpCall.Part p : parts) {
            String field = p.name() == null ? "" : p.name();
            if (field.equals("photo")) {
                photos.add(p);
                continue;
            }
            if (p.bytes().length > 4096) {
                problems.add("field '" + Text.cut(field, 40) + "' is over 4096 bytes");
                continue;
            }
            String text = new String(p.bytes(), StandardCharsets.UTF_8);
            switch (field) {
                case "id" -> id = text.strip();
                case "name" -> name = text.strip();
                case "threshold" -> {
                    try {
                        threshold = text.isBlank() ? null : Double.valueOf(text.strip());
                    } catch (NumberFormatException e) {
                        problems.add("threshold '" + Text.cut(text, 40)
                                + "' is not a number; give a cosine similarity such as 0.42, or leave it out");
                    }
                }
                default -> {
                    if (field.startsWith("meta.") && field.length() > 5) {
                        metadata.put(field.substring(5), text);
                    } else {
                        problems.add("unknown field '" + Text.cut(field, 40)
                                + "'; the fields are id, name, threshold, meta.KEY and photo (repeated)");
                    }
                }
            }
        }
        if (enrol) {
            String idProblem = Ids.problem("person id", id);
            if (idProblem != null) {
                problems.add(Text.cut(idProblem, 200));
            }
        }
        if (photos.isEmpty()) {
            problems.add("no photo; attach one or more images as fields named 'photo'");
        } else if (photos.size() > config.maxPhotos()) {
            problems.add(photos.size() + " photos; at most " + config.maxPhotos() + " per upload"
                    + " (VIGIL_CONSOLE_MAX_PHOTOS)");
        }
        if (!problems.isEmpty()) {
            throw new HttpRefusal(400, String.join("; ", problems));
        }
        return new Upload(id, name, threshold, metadata, photos);
    }

    private record Read(HttpCall.Part part, PhotoReader.Reading reading) {}

    /** Each photo through the models, one upload at a time. */
    private List<Read> read(List<HttpCall.Part> photos) {
        try {
            if (!reading.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new HttpRefusal(503, "other uploads are being read; try again in a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpRefusal(503, "interrupted; try again");
        }
        try {
            List<Read> out = new ArrayList<>();
            for (HttpCall.Part p : photos) {
                out.add(new Read(p, reader.read(p.bytes())));
            }
            return out;
        } finally {
            reading.release();
        }
    }

    private List<PhotoFeedback> feedback(List<Read> reads, String self) {
        Map<String, List<float[]>> enrolled = tables.embeddings();
        List<PhotoFeedback> out = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            PhotoReader.Reading r = reads.get(i).reading();
            List<Duplicate> duplicates =
                    r.usable() && enrolled != null ? duplicates(r.embedding(), enrolled, self) : List.of();
            String file = reads.get(i).part().fileName();
            out.add(new PhotoFeedback(
                    i,
                    file == null ? null : Text.cut(file, 120),
                    r.usable(),
                    r.faces(),
                    r.faceSize(),
                    Math.round(r.sharpness() * 10) / 10.0,
                    r.problem(),
                    duplicates));
        }
        return out;
    }

    /** Enrolled people (not {@code self}) this embedding is at least {@code duplicateAt} similar to, most alike first. */
    private List<Duplicate> duplicates(float[] e, Map<String, List<float[]>> enrolled, String self) {
        List<Duplicate> found = new ArrayList<>();
        enrolled.forEach((id, vectors) -> {
            if (id.equals(self)) {
                return;
            }
            double best = -1;
            for (float[] v : vectors) {
                if (v.length == e.length) {
                    double dot = 0;
                    for (int k = 0; k < v.length; k++) {
                        dot += v[k] * e[k];
                    }
                    best = Math.max(best, dot);
                }
            }
            if (best >= config.duplicateAt()) {
                Tables.Person p = tables.people().get(id);
                found.add(new Duplicate(id, p == null ? id : p.name(), Math.round(best * 1000) / 1000.0));
            }
        });
        found.sort(Comparator.comparingDouble(Duplicate::similarity).reversed());
        return found.size() > 5 ? found.subList(0, 5) : found;
    }

    /** The person {@code id}, or a 404. */
    private Tables.Person known(String id) {
        Tables.Person p = id == null ? null : tables.people().get(id);
        if (p == null) {
            throw new HttpRefusal(404, "no person '" + Text.cut(id, 80) + "'; GET /api/v1/people lists them");
        }
        return p;
    }

    @Override
    public void close() {
        records.close();
    }
}
