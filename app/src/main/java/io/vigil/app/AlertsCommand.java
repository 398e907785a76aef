package io.vigil.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Reads alerts from the alerts topic.",
        subcommands = {CommandLine.HelpCommand.class})
final class AlertsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
