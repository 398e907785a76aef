package io.vigil.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "watchlist", mixinStandardHelpOptions = true, description = "Enrols, removes and lists people on the watchlist.",
        subcommands = {CommandLine.HelpCommand.class})
final class WatchlistCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
