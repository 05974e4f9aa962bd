package dev.switchboard.server.cli;

import dev.switchboard.config.ConfigException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard}: the command line. Every failure is one line on stderr and exit code 2. */
@Command(name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = SwitchboardCli.Version.class,
        description = "Model management and routing for LLM applications.",
        subcommands = {ServeCommand.class, ModelsCommand.class, GenerateCommand.class, StatusCommand.class,
                HwCommand.class, RecommendCommand.class, DemoModelCommand.class, PullCommand.class, RmCommand.class, CommandLine.HelpCommand.class})
public final class SwitchboardCli implements Runnable {
    public static final int EXIT_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with the given streams and environment (tests pass their own). */
    public static CommandLine create(PrintWriter out, PrintWriter err, Map<String, String> env) {
        CommandLine cl = new CommandLine(new SwitchboardCli(), new EnvFactory(env));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("switchboard: " + ex.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            cmd.getErr().flush();
            return EXIT_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            String message = switch (ex) {
                case CliException e -> e.getMessage();
                case ConfigException e -> "configuration error: " + e.getMessage();
                default -> ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            };
            cmd.getErr().println("switchboard: error: " + message);
            cmd.getErr().flush();
            return EXIT_ERROR;
        });
        return cl;
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        return create(out, err, env).execute(args);
    }

    /** Hands commands the environment they should read, instead of the process's. */
    static final class EnvFactory implements CommandLine.IFactory {
        private final Map<String, String> env;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        EnvFactory(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            K k = fallback.create(cls);
            if (k instanceof ClientOptions.EnvAware aware) {
                aware.env(env);
            }
            return k;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SwitchboardCli.class.getPackage().getImplementationVersion();
            return new String[] {"switchboard " + (v == null ? "dev" : v)};
        }
    }
}
