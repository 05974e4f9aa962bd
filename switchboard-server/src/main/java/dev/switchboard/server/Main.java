package dev.switchboard.server;

import dev.switchboard.server.cli.SwitchboardCli;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of the runnable jar and the {@code ./switchboard} launcher. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Client commands print their answer on stdout; routine INFO logs from an embedded run would only be noise.
        boolean serving = args.length > 0 && args[0].equals("serve");
        if (!serving && System.getenv("SWITCHBOARD_LOG_LEVEL") == null && System.getProperty("SWITCHBOARD_LOG_LEVEL") == null) {
            System.setProperty("SWITCHBOARD_LOG_LEVEL", "WARN");
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = SwitchboardCli.run(args, out, err, System.getenv());
        // Exit explicitly: native runtimes (llama.cpp) can leave non-daemon threads behind.
        System.exit(code);
    }
}
