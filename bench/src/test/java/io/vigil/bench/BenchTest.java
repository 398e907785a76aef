package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

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

    @Test
    void listsEveryBenchmark() {
        assertThat(run("--help").out()).contains("ingest", "inference", "matcher", "e2e", "soak", "jmh");
    }

    @Test
    void aMatcherBenchTooLargeForTheHeapSaysHowMuchItNeeds() {
        Result r = run("matcher", "--sizes", "1000,2000000000");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err())
                .contains("2,000,000,000 embeddings need about")
                .contains("VIGIL_JAVA_OPTS=-Xmx")
                .doesNotContain("Exception");
        assertThat(r.out()).doesNotContain("people"); // refused before measuring anything
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
