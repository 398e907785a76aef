package io.vigil.app.cli;

import io.vigil.app.UserException;
import io.vigil.app.pipeline.StageKind;
import io.vigil.runtime.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command. */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = Vigil.Version.class,
        description = "Watches camera streams for faces on a watchlist and raises alerts in real time.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            CameraCommand.class,
            WatchlistCommand.class,
            AlertsCommand.class,
            FacesCommand.class,
            BenchCommand.class,
            TopicsCommand.class,
            AclsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Vigil implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Vigil());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(StageKind.class, StageKind::parse);
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr()
                    .println("vigil: " + ex.getMessage() + " (see '"
                            + cmd.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof ConfigException || ex instanceof UserException) {
                cmd.getErr().println("vigil: " + ex.getMessage());
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

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Vigil.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (v == null ? "dev" : v)};
        }
    }
}
