package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.json.Json;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A command that reads one JSON document from the service (or an embedded one) and prints it as a table, or raw
 * with {@code --json}: {@code status}, {@code hw}, {@code recommend}.
 */
abstract class JsonViewCommand implements Callable<Integer>, ClientOptions.EnvAware {
    @Mixin
    ClientOptions client;

    @Option(names = "--json", description = "Print the raw JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Map<String, String> env = System.getenv();

    @Override
    public void env(Map<String, String> e) {
        this.env = e;
    }

    /** The document this command shows. */
    abstract JsonNode fetch(Backend backend);

    /** The readable form. */
    abstract void print(JsonNode doc, PrintWriter out);

    /**
     * Whether this command describes this machine, so that without a service on it the answer can come from
     * Switchboard run in-process instead ({@code hw}, {@code recommend}); {@code status} describes a service and
     * has no such answer.
     */
    boolean answersInProcess() {
        return false;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode doc = document();
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            print(doc, out);
        }
        out.flush();
        return 0;
    }

    /** From the service (or {@code --config}); when no service answers on this machine, from one in-process. */
    private JsonNode document() {
        try (Backend backend = client.open(env)) {
            JsonNode doc = fetch(backend);
            String url = client.serviceUrl(env);
            if (answersInProcess() && url != null) {
                say("answered by the service at " + url);
            }
            return doc;
        } catch (CliException.Unreachable e) {
            String url = client.serviceUrl(env);
            if (!answersInProcess() || !ClientOptions.isThisMachine(url)) {
                throw e;
            }
            String[] source = new String[1];
            try (Backend local = client.openInProcess(env, s -> source[0] = s)) {
                JsonNode doc = fetch(local);
                say("no service at " + url + "; answered in-process (configuration: " + source[0] + ")");
                return doc;
            }
        }
    }

    /** Which Switchboard answered, on stderr so that stdout stays the document (or its table) alone. */
    private void say(String line) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("switchboard: " + line);
        err.flush();
    }
}
