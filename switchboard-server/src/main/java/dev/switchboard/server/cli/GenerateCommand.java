package dev.switchboard.server.cli;

import dev.switchboard.model.ChatRequest;
import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.Message;
import dev.switchboard.model.TaskType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text and stream it to the terminal. Reads the prompt from stdin when it is '-'.")
final class GenerateCommand implements Callable<Integer>, ClientOptions.EnvAware {
    @Mixin
    ClientOptions client;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", description = "provider:model or a model id (default: the configured default).")
    String model;

    @Option(names = {"-t", "--task"}, paramLabel = "TASK", description = "Task type, e.g. narrative_generation (default: general_chat).")
    String task;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message to send first.")
    String system;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens to generate.")
    Integer maxTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature, 0 to 2.")
    Double temperature;

    @Option(names = "--no-stream", description = "Wait for the whole answer instead of streaming it.")
    boolean noStream;

    @Option(names = {"-v", "--verbose"}, description = "Print the model, tokens and latency afterwards (on stderr).")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The prompt (several words are joined with spaces).")
    List<String> prompt;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Map<String, String> env = System.getenv();

    @Override
    public void env(Map<String, String> e) {
        this.env = e;
    }

    @Override
    public Integer call() throws IOException {
        String text = String.join(" ", prompt);
        if (text.equals("-")) {
            text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (text.isBlank()) {
            throw new CliException("the prompt is empty");
        }
        ChatRequest.Builder b = ChatRequest.builder().model(model).maxTokens(maxTokens).temperature(temperature)
                .taskType(task == null ? TaskType.GENERAL_CHAT : TaskType.fromWire(task)).stream(!noStream);
        if (system != null) {
            b.message(Message.system(system));
        }
        ChatRequest request = b.prompt(text).build();
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = client.open(env)) {
            ChatResponse r = backend.generate(request, token -> {
                out.print(token);
                out.flush();
            });
            out.println();
            out.flush();
            if (verbose) {
                PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "[%s:%s, %d prompt + %d completion tokens, %.0f ms, finish %s]%n",
                        r.provider(), r.modelId(), r.usage().promptTokens(), r.usage().completionTokens(),
                        r.latencyMs(), r.finishReason().wire());
                err.flush();
            }
        }
        return 0;
    }
}
