package hookhub.cli;

import hookhub.config.HubSettings;
import hookhub.store.DeadLetterCount;
import hookhub.store.DeliveryQueue;
import hookhub.store.EventStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code java -jar hookhub.jar replay --sink <lake|s3|firehose> [--source X] [--since 2026-11-25T00:00:00Z]} puts a
 * sink's dead letters back in line; {@code dead-letters [--sink S]} lists them. Both work on the store the hub
 * uses (same application.properties, environment and -D settings) while the hub runs: the running hub delivers
 * replayed events on its next poll, whole batches under their old names, so nothing a sink already has is doubled.
 */
public final class ReplayCommand {

    private ReplayCommand() {
    }

    public static int run(List<String> args, PrintStream out) throws Exception {
        String command = args.get(0);
        String sink = option(args, "--sink");
        String source = option(args, "--source");
        String since = option(args, "--since");
        if (command.equals("replay") && sink == null) {
            out.println("usage: replay --sink <lake|s3|firehose> [--source NAME] [--since ISO-8601 instant]");
            return 2;
        }
        try (CliSettings cli = CliSettings.load()) {
            HubSettings settings = cli.settings();
            Path dataDir = Path.of(settings.string("hookhub.data-dir"));
            List<String> sinks = sink != null ? List.of(sink) : List.of("lake", "s3", "firehose");
            try (EventStore store = EventStore.forMaintenance(cli.storeSettings(), dataDir, sinks)) {
                if (command.equals("replay")) {
                    long from = since == null ? 0 : Instant.parse(since).toEpochMilli();
                    int n = store.queue(sink).replayDeadLetters(source, from);
                    out.println("replayed " + n + " dead letters for sink " + sink + (source == null ? "" : " and source " + source));
                    return 0;
                }
                long total = 0;
                for (String s : sinks) {
                    DeliveryQueue q = store.queue(s);
                    for (DeadLetterCount d : q.deadLetters()) {
                        out.println(d.sink() + "\t" + d.source() + "\t" + d.count() + "\toldest " + Instant.ofEpochMilli(d.oldestReceivedAt())
                                + "\t" + d.lastError());
                        total += d.count();
                    }
                }
                out.println(total + " dead letters");
                return 0;
            }
        }
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
    }
}
