package org.pekkogrid.deploy;

import java.io.PrintWriter;
import org.pekkogrid.client.GridUnavailableException;
import org.pekkogrid.worker.StuckThreadsExit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one launcher: {@code java -jar grid.jar head|worker|submit|run|watch|jobs|cancel|status|workloads|images|counter|bench|certs}.
 * Exit status: 0 when the job completed (or the command did what it was asked), 1 when it failed, 2 for bad
 * input (an unknown job id included), 3 when a worker stopped with more stuck threads than cores (its
 * supervisor should start it again), 4 when the job was cancelled ({@code grid cancel}, DELETE, Ctrl-C or
 * SIGTERM on its {@code grid submit}, its client leaving).
 */
@Command(name = "grid", mixinStandardHelpOptions = true, versionProvider = GridMain.Version.class,
    description = "pekko-grid: a compute grid on Apache Pekko Cluster that measures itself.",
    subcommands = {HeadCommand.class, WorkerCommand.class, SubmitCommand.class, RunCommand.class,
        WatchCommand.class, JobsCommand.class, CancelCommand.class, StatusCommand.class, WorkloadsCommand.class, ImagesCommand.class, CounterCli.class, BenchCommand.class, CertsCommand.class, CommandLine.HelpCommand.class})
public final class GridMain implements Runnable {

    public static final int COMPLETED = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int STUCK_THREADS = StuckThreadsExit.EXIT_STATUS;
    public static final int CANCELLED = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status; the tests call this too. */
    public static int execute(String... args) {
        configureLogging(args);
        // Start logging before Pekko does, so that its first lines are not replayed with a warning.
        org.slf4j.LoggerFactory.getILoggerFactory();
        CommandLine cli = new CommandLine(new GridMain());
        // --json promises one JSON object on stdout whatever happens: errors too.
        boolean json = java.util.Arrays.asList(args).contains("--json");
        cli.setParameterExceptionHandler((e, a) -> jsonError(json, badParameters(e, a), e.getMessage()));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof GridUnavailableException) {
                return jsonError(json, badInput(line, e.getMessage()), e.getMessage());
            }
            line.getErr().println(line.getCommandName() + ": " + e);
            e.printStackTrace(line.getErr());
            return jsonError(json, FAILED, e.toString());
        });
        return cli.execute(args);
    }

    /** With --json, an error is the one object on stdout: {"error": ..., "exitStatus": ...}. */
    private static int jsonError(boolean json, int status, String message) {
        if (json) {
            java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
            o.put("error", message);
            o.put("exitStatus", status);
            try {
                System.out.println(JobSession.JSON.writeValueAsString(o));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                System.out.println("{\"error\": \"" + status + "\"}");
            }
            System.out.flush();
        }
        return status;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    private static int badParameters(CommandLine.ParameterException e, String[] args) {
        // picocli says "Value for option option '--param' ..."; once is enough.
        return badInput(e.getCommandLine(), e.getMessage().replace("option option", "option"));
    }

    static int badInput(CommandLine line, String message) {
        PrintWriter err = line.getErr();
        String command = line.getCommandSpec().qualifiedName(" ");
        err.println(command + ": " + message);
        err.println("Try '" + command + " --help' for usage.");
        err.flush();
        return BAD_INPUT;
    }

    /** Daemons log at INFO, one-shot commands only errors, unless GRID_LOGLEVEL or --verbose says otherwise. */
    private static void configureLogging(String[] args) {
        if (System.getProperty("grid.loglevel") != null) return;
        String level = System.getenv("GRID_LOGLEVEL");
        if (level == null) {
            boolean daemon = args.length > 0 && (args[0].equals("head") || args[0].equals("worker"));
            level = daemon ? "INFO" : "ERROR";
            for (String a : args) if (a.equals("--verbose") || a.equals("-v")) level = "INFO";
        }
        System.setProperty("grid.loglevel", level);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GridMain.class.getPackage().getImplementationVersion();
            return new String[] {"pekko-grid " + (v == null ? "(development build)" : v) + ", Java "
                + System.getProperty("java.version")};
        }
    }
}
