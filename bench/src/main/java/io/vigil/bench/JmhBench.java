package io.vigil.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(
        name = "jmh",
        mixinStandardHelpOptions = true,
        description = {
            "The micro benchmarks, with JMH (forked JVM, warm-up and measurement iterations, error bounds):",
            "the watchlist search (exact scan as the baseline, sketch index) and the faces wire format."
        })
final class JmhBench implements Callable<Integer> {
    @Option(
            names = "--include",
            defaultValue = "io.vigil.bench.jmh.*",
            description = "regular expression of the benchmarks to run (default ${DEFAULT-VALUE})")
    String include;

    @Option(names = "--quick", description = "one fork, fewer and shorter iterations: a smoke run, not a measurement")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder().include(include); // forks inherit this class path
        if (quick) {
            o.warmupIterations(1)
                    .measurementIterations(2)
                    .forks(1)
                    .warmupTime(TimeValue.milliseconds(300))
                    .measurementTime(TimeValue.milliseconds(300));
        }
        new Runner(o.build()).run();
        return 0;
    }
}
