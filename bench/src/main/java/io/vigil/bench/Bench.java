package io.vigil.bench;

import io.vigil.app.UserException;
import io.vigil.runtime.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vigil bench}: the benchmarks, apart from the product. Each warms up before it measures, repeats, and prints
 * the spread (median and range) of what it measured and ratios against a baseline measured in the same run.
 */
@Command(
        name = "vigil bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks that print ratios against a baseline measured in the same run, after a warm-up,",
            "as the median and range of repeated measurements. Run them on an otherwise idle machine; they print",
            "what they measured, never pass or fail."
        },
        subcommands = {
            IngestBench.class,
            InferenceBench.class,
            MatcherBench.class,
            E2eBench.class,
            AlertsBench.class,
            FalseAlarmBench.class,
            SoakBench.class,
            JmhBench.class,
            CommandLine.HelpCommand.class
        })
public final class Bench implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Bench());
        cl.setParameterExceptionHandler((ex, argv) -> {
            ex.getCommandLine()
                    .getErr()
                    .println("vigil bench: " + ex.getMessage() + " (see '"
                            + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof ConfigException || ex instanceof UserException) {
                cmd.getErr().println("vigil bench: " + ex.getMessage());
                return ex instanceof UserException u ? u.exitCode() : 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
