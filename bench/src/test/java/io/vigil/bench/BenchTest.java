package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

class BenchTest {
    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        CommandLine cl = Bench.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    /** Runs a bench that prints its table on standard output; its out is what it printed there. */
    static Result runPrinting(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Result r;
        try {
            r = run(args);
        } finally {
            System.setOut(stdout);
        }
        return new Result(r.exit(), printed.toString(StandardCharsets.UTF_8), r.err());
    }

    @Test
    void listsEveryBenchmark() {
        assertThat(run("--help").out()).contains("ingest", "inference", "matcher", "e2e", "soak", "jmh");
    }

    @Test
    void aMatcherBenchTooLargeForTheHeapSaysHowMuchItNeeds() {
        Result r = runPrinting("matcher", "--sizes", "1000,2000000000");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err())
                .contains("2,000,000,000 embeddings need about")
                .contains("VIGIL_JAVA_OPTS=-Xmx")
                .doesNotContain("Exception");
        assertThat(r.out()).doesNotContain("people"); // refused before measuring anything
    }

    @Test
    void aMatcherBenchRefusesAThresholdItCannotDrawFacesAbove() {
        Result r = runPrinting("matcher", "--sizes", "1000", "--threshold", "0.85");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err())
                .contains("--threshold takes a cosine above 0 and at most 0.7")
                .contains("not 0.85");
        assertThat(r.out()).doesNotContain("people");
    }

    @Test
    void aMatcherBenchAtAHigherThresholdMovesItsBandsUp() {
        Result r = runPrinting(String.join(
                        " ",
                        "matcher --sizes 2000 --data faces --queries 20 --near 20 --strangers 5 --threshold 0.55",
                        "--repeats 1 --exact-sample 5")
                .split(" "));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("(0.55-0.65)").contains("faces at cosine 0.65-0.90 and, apart, 0.55-0.65");
    }

    @Test
    void spreadIsTheMedianAndRangeOfTheRepeats() {
        Spread s = Spread.of(3, 1, 2, 10);
        assertThat(s.median()).isEqualTo(2.5);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(10);
        assertThat(s.show("%.1f")).isEqualTo("2.5 [1.0-10.0]");
        assertThat(Spread.of(2, 4).ratioTo(Spread.of(1, 1))).isEqualTo(3.0);
    }
}
