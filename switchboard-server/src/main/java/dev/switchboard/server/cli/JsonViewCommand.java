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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = client.open(env)) {
            JsonNode doc = fetch(backend);
            if (json) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            } else {
                print(doc, out);
            }
        }
        out.flush();
        return 0;
    }
}
