package io.vigil.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "camera", mixinStandardHelpOptions = true, description = "Registers, removes and lists cameras (stored on the compacted cameras topic).",
        subcommands = {CommandLine.HelpCommand.class})
final class CameraCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
