package io.vigil.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "faces", mixinStandardHelpOptions = true, description = "Detects and compares faces in image files with the bundled models.",
        subcommands = {CommandLine.HelpCommand.class})
final class FacesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
