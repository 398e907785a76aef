package io.vigil.app.cli;

import io.vigil.api.Ids;
import io.vigil.api.audit.AuditEvent;
import io.vigil.api.face.EmbedderModel;
import io.vigil.api.topic.VigilTopics;
import io.vigil.api.watchlist.EnrolmentPhotos;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.app.UserException;
import io.vigil.app.enrol.Enroller;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.TopicWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(
        name = "watchlist",
        mixinStandardHelpOptions = true,
        description = "Enrols, removes and lists people on the watchlist (the compacted watchlist topic).",
        subcommands = {
            WatchlistCommand.Add.class,
            WatchlistCommand.Import.class,
            WatchlistCommand.Remove.class,
            WatchlistCommand.List_.class,
            WatchlistCommand.Reenrol.class,
            CommandLine.HelpCommand.class
        })
final class WatchlistCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    static void publish(Settings s, String personId, WatchlistEntry entry) {
        TopicWriter.write(s, s.topics().watchlist, personId, entry);
    }

    /** The photos first, so that an entry on the watchlist always has its photos kept; then the audit event. */
    static void publish(Settings s, Enroller.Enrolment e, String action) {
        TopicWriter.write(s, s.topics().enrolmentPhotos, e.photos().personId(), e.photos());
        publish(s, e.entry().personId(), e.entry());
        TopicWriter.audit(
                s,
                action,
                e.entry().personId(),
                e.entry().displayName() + ", " + e.photos().photos().size() + " photos");
    }

    /** An enrolment, written and audited. */
    static void publish(Settings s, Enroller.Enrolment e) {
        publish(s, e, AuditEvent.PERSON_ENROL);
    }

    static Map<String, String> meta(List<String> pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : pairs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UserException("--meta '" + kv + "' is not key=value", 2);
            }
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Enrols a person from one or more photos (exactly one face each).")
    static final class Add implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--id", required = true, description = "person id (A-Z a-z 0-9 . _ -)")
        String id;

        @Option(names = "--name", description = "display name in alerts (default: the id)")
        String name;

        @Option(
                names = "--image",
                required = true,
                arity = "1..*",
                paramLabel = "FILE",
                description = "photo(s) of the person")
        List<Path> images;

        @Option(
                names = "--threshold",
                paramLabel = "COSINE",
                description = "this person's match threshold (default: the matcher's)")
        Double threshold;

        @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "operator metadata")
        List<String> meta = new ArrayList<>();

        @Option(names = "--largest", description = "when a photo has several faces, enrol the largest")
        boolean largest;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String problem = Ids.problem("--id", id);
            if (problem != null) {
                throw new UserException(problem, 2);
            }
            Settings s = kafka.settings();
            Enroller.Enrolment enrolment;
            try (Enroller enroller = new Enroller(s.inference())) {
                List<Enroller.Enrolled> enrolled = new ArrayList<>();
                for (Path image : images) {
                    enrolled.add(enroller.enrol(image, largest));
                }
                try {
                    enrolment = enroller.enrolment(id, name, threshold, meta(meta), enrolled);
                } catch (IllegalArgumentException e) {
                    throw new UserException(e.getMessage(), 2);
                }
            }
            WatchlistEntry entry = enrolment.entry();
            publish(s, enrolment);
            spec.commandLine()
                    .getOut()
                    .printf(
                            "enrolled %s (%s) from %d photo(s)%n",
                            id, entry.displayName(), entry.embeddings().size());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Enrols every person in DIR: one folder per person (folder name = id; '_' becomes a space",
                "in the display name), each holding their photos. Prints a summary of what failed and why."
            })
    static final class Import implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Parameters(paramLabel = "DIR")
        Path dir;

        @Option(names = "--largest", description = "when a photo has several faces, enrol the largest")
        boolean largest;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<Path> people = Enroller.people(dir);
            Settings s = kafka.settings();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> failures = new ArrayList<>();
            int enrolled = 0;
            try (Enroller enroller = new Enroller(s.inference())) {
                for (int i = 0; i < people.size(); i++) {
                    progress(err, i, people.size(), people.get(i).getFileName().toString());
                    var enrolment = enroller.entry(people.get(i), largest, Map.of(), failures);
                    if (enrolment.isPresent()) {
                        publish(s, enrolment.get());
                        enrolled++;
                    }
                }
                progress(err, people.size(), people.size(), "done");
                err.println();
            }
            out.printf("enrolled %d of %d people from %s%n", enrolled, people.size(), dir);
            if (!failures.isEmpty()) {
                out.printf("%d problem(s):%n", failures.size());
                failures.forEach(f -> out.println("  " + f));
            }
            out.flush();
            return enrolled == people.size() ? 0 : 1;
        }

        private static void progress(PrintWriter err, int done, int total, String what) {
            int width = 30;
            int filled = total == 0 ? width : done * width / total;
            err.printf("\r[%s%s] %d/%d %-30s", "#".repeat(filled), " ".repeat(width - filled), done, total, what);
            err.flush();
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Removes a person and their kept enrolment photos (tombstones: every matcher drops them).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--id", required = true)
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Settings s = kafka.settings();
            publish(s, id, null);
            TopicWriter.write(s, s.topics().enrolmentPhotos, id, null);
            TopicWriter.audit(s, AuditEvent.PERSON_DELETE, id, null);
            spec.commandLine().getOut().printf("removed %s%n", id);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists the people on the watchlist.")
    static final class List_ implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Settings s = kafka.settings();
            VigilTopics topics = s.topics();
            PrintWriter out = spec.commandLine().getOut();
            Map<String, WatchlistEntry> people =
                    KafkaOptions.latest(s, topics.watchlist, spec.commandLine().getErr(), "entry");
            String model = s.matcher().model();
            out.printf("%-20s %-24s %6s %9s  %-15s  %s%n", "ID", "NAME", "PHOTOS", "THRESHOLD", "MODEL", "ENROLLED");
            people.values().stream()
                    .sorted(Comparator.comparing(WatchlistEntry::personId))
                    .forEach(e -> out.printf(
                            Locale.ROOT,
                            "%-20s %-24s %6d %9s  %-15s  %s%n",
                            e.personId(),
                            e.displayName(),
                            e.embeddings().size(),
                            e.threshold() == null ? "default" : String.format(Locale.ROOT, "%.2f", e.threshold()),
                            EmbedderModel.effective(e.model()).substring(0, 15),
                            Instant.ofEpochMilli(e.enrolledAtMs())));
            out.printf("%d people%n", people.size());
            out.flush();
            long embeddings = people.values().stream()
                    .mapToLong(e -> e.embeddings().size())
                    .sum();
            long otherModel = people.values().stream()
                    .filter(e -> !EmbedderModel.effective(e.model()).equals(model))
                    .count();
            if (otherModel > 0) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "warning: %d people were enrolled with another embedder than %s (VIGIL_MATCHER_MODEL);"
                                        + " the matcher refuses them: embed them again with the embedder inference"
                                        + " runs (vigil watchlist reenrol)%n",
                                otherModel, model);
            }
            String warning = s.matcher().falseAlarmWarning(embeddings);
            if (warning != null) {
                spec.commandLine().getErr().println("warning: " + warning);
            }
            return 0;
        }
    }

    @Command(
            name = "reenrol",
            mixinStandardHelpOptions = true,
            description = {
                "Embeds people again from their kept enrolment photos with the embedder configured here (after a",
                "model change): by default those enrolled with another embedder, with --all everyone. Name,",
                "threshold and metadata are kept. Prints who could not be, and why."
            })
    static final class Reenrol implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--all", description = "also people already enrolled with this embedder")
        boolean all;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Settings s = kafka.settings();
            VigilTopics topics = s.topics();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, WatchlistEntry> people = KafkaOptions.latest(s, topics.watchlist, err, "entry");
            Map<String, EnrolmentPhotos> kept = KafkaOptions.latest(s, topics.enrolmentPhotos, err, "photos of");
            List<String> problems = new ArrayList<>();
            int done = 0;
            int due = 0;
            try (Enroller enroller = new Enroller(s.inference())) {
                String model = enroller.model();
                for (WatchlistEntry e : people.values().stream()
                        .sorted(Comparator.comparing(WatchlistEntry::personId))
                        .toList()) {
                    if (!all && EmbedderModel.effective(e.model()).equals(model)) {
                        continue;
                    }
                    due++;
                    EnrolmentPhotos photos = kept.get(e.personId());
                    if (photos == null) {
                        problems.add(e.personId() + ": no enrolment photos kept (enrolled before they were, or"
                                + " older than VIGIL_RETENTION_ENROLMENT_PHOTOS); enrol again with watchlist add");
                        continue;
                    }
                    List<Enroller.Enrolled> enrolled = new ArrayList<>();
                    for (int i = 0; i < photos.photos().size(); i++) {
                        byte[] photo = photos.photos().get(i);
                        try {
                            enrolled.add(new Enroller.Enrolled(
                                    enroller.embedKept(photo, e.personId() + " photo " + (i + 1)), photo));
                        } catch (UserException ex) {
                            problems.add(ex.getMessage());
                        }
                    }
                    if (enrolled.isEmpty()) {
                        problems.add(e.personId() + ": no kept photo has a usable face; enrol again with watchlist"
                                + " add");
                        continue;
                    }
                    publish(
                            s,
                            enroller.enrolment(e.personId(), e.displayName(), e.threshold(), e.metadata(), enrolled),
                            AuditEvent.PERSON_REENROL);
                    out.printf("re-enrolled %s from %d photo(s)%n", e.personId(), enrolled.size());
                    done++;
                }
                out.printf("re-enrolled %d of %d people with %s%n", done, due, model);
            }
            if (!problems.isEmpty()) {
                out.printf("%d problem(s):%n", problems.size());
                problems.forEach(p -> out.println("  " + p));
            }
            out.flush();
            return done == due ? 0 : 1;
        }
    }
}
