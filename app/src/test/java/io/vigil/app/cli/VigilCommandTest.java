package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

public class VigilCommandTest {
    public record Result(int exit, String out, String err) {}

    public static Result run(String... args) {
        CommandLine cl = Vigil.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsEverySubcommand() {
        Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("demo", "run", "camera", "watchlist", "alerts", "faces", "bench", "topics");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String cmd : new String[] {"demo", "run", "camera", "watchlist", "alerts", "faces", "bench", "topics"}) {
            Result r = run(cmd, "--help");
            assertThat(r.exit()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).startsWith("Usage: vigil " + cmd);
        }
    }

    @Test
    void anUnknownStageExitsNonZeroWithAOneLineReason() {
        Result r = run("run", "everything");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("everything").contains("ingest").contains("vigil run --help");
    }

    @Test
    void anUnknownOptionExitsNonZero() {
        Result r = run("run", "all", "--frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--frobnicate");
    }

    @Test
    void aGroupWithoutSubcommandExitsNonZero() {
        assertThat(run("camera").exit()).isEqualTo(2);
    }

    @Test
    void theBenchCommandPointsToTheBenchJarWhichTheProductDoesNotCarry() {
        Result r = run("bench", "matcher");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not in this jar").contains("./vigil bench matcher");
    }
}
