package io.vigil.app.cli;

import io.vigil.app.UserException;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.config.ConfigException;
import io.vigil.runtime.kafka.KafkaAccess;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;

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
            AuditCommand.class,
            ConsoleCommand.class,
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
            if (refusedByKafka(ex)) {
                cmd.getErr().println("vigil: " + KafkaAccess.refusal(ex, kafkaSettings(parseResult), null));
                return 1;
            }
            throw ex;
        });
        return cl;
    }

    /** Whether the failure is Kafka refusing this client's credentials or its rights. */
    static boolean refusedByKafka(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
    }

    /** The Kafka settings the failed command used: the environment, its --config file and --bootstrap. */
    private static CommonConfig kafkaSettings(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        Path config = p.matchedOptionValue("--config", null);
        String bootstrap = p.matchedOptionValue("--bootstrap", null);
        return Settings.fromEnvironment(config).withBootstrap(bootstrap).common();
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
