package io.vigil.bench;

import io.vigil.api.watchlist.FalseAlarms;
import io.vigil.app.UserException;
import io.vigil.app.enrol.Enroller;
import io.vigil.app.pipeline.Settings;
import io.vigil.runtime.config.ConfigReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code vigil bench false-alarms}: how often strangers would raise alerts. Every face in the photos (one folder of
 * photos per person, and group photos whose faces are all different people) is embedded with the bundled models
 * and compared with every face of every other person; the upper tail of those impostor similarities is fitted
 * (peaks over the 90th percentile, a generalised Pareto by probability-weighted moments), and from it the expected
 * false alerts per 1,000 stranger faces for watchlists of 1k to 1M people at a range of thresholds.
 */
@Command(
        name = "false-alarms",
        mixinStandardHelpOptions = true,
        description = "False alerts per 1,000 stranger faces by watchlist size and threshold, from real photos.")
final class FalseAlarmBench implements Callable<Integer> {
    @Option(
            names = "--people",
            defaultValue = "inference/src/test/resources/faces/johns-dev",
            description = "folder with one sub-folder of photos per person (default ${DEFAULT-VALUE})")
    Path people;

    @Option(
            names = "--group",
            split = ",",
            defaultValue = "inference/src/test/resources/faces/misc/1280px-Solvay_conference_1927.png,"
                    + "inference/src/test/resources/faces/misc/grace_hopper_512x512.jpg",
            description = "photos whose faces are all different people, none of them in --people")
    List<Path> groups;

    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "1000,10000,100000,1000000",
            description = "watchlist sizes (people, one embedding each)")
    List<Long> sizes;

    /** A face with whose it is and which photo set it comes from. */
    record Sample(String person, String source, float[] embedding) {}

    /**
     * The study's result: impostor pairs of different photos (a stranger on camera against an enrolment photo taken
     * elsewhere), the genuine pairs, the tail fitted to the impostors; and apart, impostor pairs of faces in one group
     * photo (same camera, light and resolution: the worst case, as when a watchlist is enrolled from the same
     * camera's footage) with their own tail.
     */
    record Study(
            double[] impostors,
            double[] genuine,
            int faces,
            int identities,
            FalseAlarms tail,
            double[] samePhoto,
            FalseAlarms samePhotoTail) {}

    @Override
    public Integer call() throws Exception {
        Study s = study(people, groups);
        print(s, sizes);
        return 0;
    }

    static Study study(Path people, List<Path> groups) throws IOException {
        if (!Files.isDirectory(people)) {
            throw new UserException(
                    people + " is not a folder of people; run from the project's root or give --people");
        }
        List<Sample> samples = new ArrayList<>();
        Settings settings = Settings.load(new ConfigReader(Map.of()));
        try (Enroller enroller = new Enroller(settings.inference())) {
            for (Path person : Enroller.people(people)) {
                try (Stream<Path> photos = Files.list(person)) {
                    for (Path photo : photos.sorted().toList()) {
                        for (float[] e :
                                enroller.embedAll(photo).stream().limit(1).toList()) {
                            samples.add(new Sample(person.getFileName().toString(), "people", e));
                        }
                    }
                }
            }
            for (Path group : groups) {
                List<float[]> faces = enroller.embedAll(group);
                for (int i = 0; i < faces.size(); i++) {
                    samples.add(new Sample(
                            group.getFileName() + "#" + i, group.getFileName().toString(), faces.get(i)));
                }
            }
        }
        List<Double> impostors = new ArrayList<>();
        List<Double> genuine = new ArrayList<>();
        List<Double> samePhoto = new ArrayList<>();
        Map<String, List<Double>> bySources = new java.util.TreeMap<>();
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < samples.size(); j++) {
                Sample a = samples.get(i);
                Sample b = samples.get(j);
                double sim = dot(a.embedding(), b.embedding());
                if (a.person().equals(b.person())) {
                    genuine.add(sim);
                } else {
                    if (a.source().equals(b.source()) && !a.source().equals("people")) {
                        samePhoto.add(sim);
                    } else {
                        impostors.add(sim);
                    }
                    String key = a.source().compareTo(b.source()) <= 0
                            ? a.source() + " x " + b.source()
                            : b.source() + " x " + a.source();
                    bySources.computeIfAbsent(key, k -> new ArrayList<>()).add(sim);
                }
            }
        }
        bySources.forEach((k, v) -> {
            double[] d = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(
                    Locale.ROOT,
                    "impostor pairs %-58s %5d  mean %.3f  99th %.3f  max %.3f%n",
                    k,
                    d.length,
                    mean(d),
                    d[(int) (0.99 * (d.length - 1))],
                    d[d.length - 1]);
        });
        double[] imp =
                impostors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] gen =
                genuine.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int identities = (int) samples.stream().map(Sample::person).distinct().count();
        double[] same =
                samePhoto.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Study(
                imp, gen, samples.size(), identities, normal(imp), same, same.length < 20 ? null : normal(same));
    }

    /** An exponential tail (a generalised Pareto of shape 0) over the {@code q} quantile, scale the mean excess. */
    static Tail exponentialTail(double[] sorted, double q) {
        Exceedances e = Exceedances.over(sorted, q);
        return new Tail(e.u(), e.above(), 0, Arrays.stream(e.y()).average().orElseThrow());
    }

    /** The similarities over the {@code q} quantile {@code u} of sorted values, less {@code u}, and their share. */
    record Exceedances(double u, double[] y, double above) {
        static Exceedances over(double[] sorted, double q) {
            int n = sorted.length;
            int start = (int) Math.floor(q * n);
            double u = sorted[start];
            double[] y = Arrays.stream(sorted, start, n)
                    .map(v -> v - u)
                    .filter(v -> v > 0)
                    .toArray();
            return new Exceedances(u, y, (double) y.length / n);
        }
    }

    /** The model used: a normal distribution with the impostor pairs' mean and standard deviation. */
    static FalseAlarms normal(double[] v) {
        return new FalseAlarms(mean(v), sd(v), v.length);
    }

    /**
     * A generalised Pareto tail over {@code u}: {@code P(s > t) = above (1 + shape (t - u) / scale)^(-1 / shape)};
     * printed beside the normal model for comparison, never used by the product.
     */
    record Tail(double u, double above, double shape, double scale) {
        double pairProbability(double t) {
            double x = Math.max(0, t - u);
            if (Math.abs(shape) < 1e-9) {
                return above * Math.exp(-x / scale);
            }
            double base = 1 + shape * x / scale;
            return base <= 0 ? 0 : above * Math.pow(base, -1 / shape);
        }

        double per1000(double threshold, long n) {
            return 1000 * -Math.expm1(n * Math.log1p(-pairProbability(threshold)));
        }
    }

    /** A generalised Pareto tail over the exceedances of the {@code q} quantile, by probability-weighted moments. */
    static Tail fit(double[] sorted, double q) {
        Exceedances e = Exceedances.over(sorted, q);
        double[] y = e.y();
        int m = y.length;
        double a0 = Arrays.stream(y).average().orElse(0);
        double a1 = 0; // E[Y (1 - F(Y))], Hosking and Wallis (1987)
        for (int j = 0; j < m; j++) {
            a1 += y[j] * (m - 1 - j) / (double) (m - 1);
        }
        a1 /= m;
        double k = a0 / (a0 - 2 * a1) - 2;
        double scale = 2 * a0 * a1 / (a0 - 2 * a1);
        return new Tail(e.u(), e.above(), -k, scale);
    }

    static void print(Study s, List<Long> sizes) {
        FalseAlarms t = s.tail();
        double[] imp = s.impostors();
        double[] gen = s.genuine();
        System.out.printf(
                Locale.ROOT,
                "%d faces of %d people: %d same-person pairs (cosine %.3f to %.3f, median %.3f), %d impostor pairs"
                        + " (mean %.3f, sd %.3f, max %.3f; 99th percentile %.3f)%n",
                s.faces(),
                s.identities(),
                gen.length,
                gen.length == 0 ? Double.NaN : gen[0],
                gen.length == 0 ? Double.NaN : gen[gen.length - 1],
                gen.length == 0 ? Double.NaN : gen[gen.length / 2],
                imp.length,
                mean(imp),
                sd(imp),
                imp[imp.length - 1],
                imp[(int) (0.99 * imp.length)]);
        Tail exp = exponentialTail(imp, 0.90);
        Tail free = fit(imp, 0.90);
        System.out.printf(
                Locale.ROOT,
                "model used: normal, mean %.4f, sd %.4f  (as Java: new FalseAlarms(%.4f, %.4f, %d))%n",
                t.mean(),
                t.sd(),
                t.mean(),
                t.sd(),
                t.pairs());
        System.out.printf(
                Locale.ROOT,
                "compared: over u = %.3f (top %.0f %%) an exponential tail (scale %.4f) and a freely fitted generalised"
                        + " Pareto (shape %.3f%s)%n",
                exp.u(),
                100 * exp.above(),
                exp.scale(),
                free.shape(),
                free.shape() < 0
                        ? String.format(Locale.ROOT, ", bounded at %.3f", free.u() - free.scale() / free.shape())
                        : "");
        System.out.println("fraction of impostor pairs at or over a similarity: observed, normal (used), exponential,"
                + " Pareto:");
        for (double x : new double[] {0.15, 0.20, 0.25, imp[imp.length - 3]}) {
            long over = Arrays.stream(imp).filter(v -> v >= x).count();
            System.out.printf(
                    Locale.ROOT,
                    "  >= %.3f: %.5f (%d pairs)  %.5f  %.5f  %.5f%n",
                    x,
                    (double) over / imp.length,
                    over,
                    t.pairProbability(x),
                    exp.pairProbability(x),
                    free.pairProbability(x));
        }
        System.out.println("expected false alerts per 1,000 stranger faces (one embedding per person; strangers"
                + " against enrolment photos taken elsewhere), normal model:");
        table(t::per1000, sizes);
        System.out.println("the same with the exponential tail (heavier: an upper estimate):");
        table(exp::per1000, sizes);
        if (s.samePhotoTail() != null) {
            FalseAlarms w = s.samePhotoTail();
            System.out.printf(
                    Locale.ROOT,
                    "worst case, faces of one photo (same camera, light and resolution; %d pairs, mean %.3f, sd %.3f,"
                            + " max %.3f), normal model:%n",
                    s.samePhoto().length,
                    w.mean(),
                    w.sd(),
                    s.samePhoto()[s.samePhoto().length - 1]);
            table(w::per1000, sizes);
        }
    }

    /** Expected false alerts per 1,000 stranger faces by threshold and number of embeddings. */
    interface Rate {
        double per1000(double threshold, long embeddings);
    }

    static void table(Rate t, List<Long> sizes) {
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-9s", "threshold"));
        for (long n : sizes) {
            head.append(String.format(Locale.ROOT, " %12s", String.format(Locale.ROOT, "%,d", n)));
        }
        System.out.println(head);
        for (int i = 30; i <= 60; i += 5) {
            double th = i / 100.0;
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-9.2f", th));
            for (long n : sizes) {
                row.append(String.format(Locale.ROOT, " %12s", show(t.per1000(th, n))));
            }
            System.out.println(row);
        }
    }

    static String show(double v) {
        if (v >= 999.95) {
            return "1000";
        }
        if (v >= 0.1) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return v < 1e-6 ? "<0.000001" : String.format(Locale.ROOT, "%.2g", v);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double sd(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / Math.max(1, v.length - 1));
    }
}
