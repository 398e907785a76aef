package io.vigil.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks that print ratios against a baseline measured in the same run.",
                "Run them on an otherwise idle machine; they print what they measured, never pass or fail."},
        subcommands = {IngestBench.class, InferenceBench.class, MatcherBench.class, E2eBench.class, SoakBench.class,
                CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
