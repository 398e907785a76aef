package io.vigil.app.cli;

import io.vigil.app.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Benchmarks ship apart from the product (bench/target/vigil-bench.jar): the {@code ./vigil} launcher runs
 * {@code vigil bench ...} from that jar. Reached here, the bench jar is not on the class path.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks: ingest, inference, matcher, e2e, alerts, soak, jmh (see './vigil bench --help').",
            "They ship apart from the product, in bench/target/vigil-bench.jar; the ./vigil launcher runs them."
        })
final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "ARGS")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        throw new UserException(
                "the benchmarks are not in this jar: run './vigil bench " + String.join(" ", args)
                        + "' from the source tree, or java -cp vigil.jar:vigil-bench.jar Bench ...",
                2);
    }
}
