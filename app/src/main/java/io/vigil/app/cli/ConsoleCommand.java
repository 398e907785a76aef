package io.vigil.app.cli;

import io.vigil.app.UserException;
import io.vigil.console.access.Role;
import io.vigil.console.access.Tokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        description = "The console service's API tokens. Run the service itself with `vigil run console`.",
        subcommands = {ConsoleCommand.Token.class, CommandLine.HelpCommand.class})
final class ConsoleCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(
            name = "token",
            mixinStandardHelpOptions = true,
            description = {
                "Makes a new API token. Prints the tokens file line (its SHA-256, never the token) on standard output,",
                "so `vigil console token --name alice --role operator >> tokens` adds it, and the token itself once",
                "on standard error: hand it to its user; it is not stored anywhere."
            })
    static final class Token implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "who holds it (shown in the audit log)")
        String name;

        @Option(names = "--role", required = true, description = "viewer, operator or admin")
        String role;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Role r = Role.parse(role);
            if (r == null) {
                throw new UserException("--role '" + role + "' is not a role; use viewer, operator or admin", 2);
            }
            String token = Tokens.mint();
            String line;
            try {
                line = Tokens.line(name, r, token);
            } catch (IllegalArgumentException e) {
                throw new UserException("--name: " + e.getMessage(), 2);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(line);
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("token for " + name + " (" + r.label() + "), shown once: " + token);
            err.flush();
            return 0;
        }
    }
}
