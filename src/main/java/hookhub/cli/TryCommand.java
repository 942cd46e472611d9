package hookhub.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import hookhub.config.RouteValidator;
import hookhub.decode.JsonBodyDecoder;
import hookhub.edge.RequestDecoder;
import hookhub.edge.RequestRejected;
import hookhub.event.Event;
import hookhub.record.SourceSpec;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar hookhub.jar try <route-file> <request-file>} shows what the hub would make of one raw request
 * (see {@link RawHttpRequest}) under a route file: each event's id, warnings and record, or the rejection the sender
 * would get. It runs the hub's own {@link RequestDecoder} and nothing else: no Camel, no port, no store, no sink.
 */
public final class TryCommand {

    private static final String USAGE = "usage: try <route-file.yaml> <request-file>";
    private static final JsonFactory JSON = new JsonFactory();

    private TryCommand() {
    }

    /** From the command line: records hold Hangul and the like, so stdout is UTF-8 whatever the locale says. */
    public static int run(List<String> args) {
        return run(args, new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
    }

    /** Exit code: 0 decoded, 1 rejected as the sender would be, 2 when the route file or request file is unusable. */
    public static int run(List<String> args, PrintStream out) {
        if (args.size() != 3) {
            out.println(USAGE);
            return 2;
        }
        SourceSpec spec;
        RawHttpRequest raw;
        try {
            spec = SourceSpec.fromParameters(CliSettings.resolved(RouteValidator.sourceParameters(Path.of(args.get(1)))));
        } catch (IllegalArgumentException e) {
            out.println("cannot try " + args.get(1) + ": " + e.getMessage());
            return 2;
        }
        try {
            raw = RawHttpRequest.parse(Files.readAllBytes(Path.of(args.get(2))));
        } catch (IOException | IllegalArgumentException e) {
            out.println("cannot read request file " + args.get(2) + ": " + e.getMessage());
            return 2;
        }
        try {
            rejectOversizeBody(raw, maxBodyBytes());
            List<Event> events = decode(raw, spec);
            for (int i = 0; i < events.size(); i++) {
                print(events.get(i), i + 1, events.size(), out);
            }
            out.println(events.size() + (events.size() == 1 ? " event" : " events") + " decoded; nothing was stored or sent");
            return 0;
        } catch (RequestRejected e) {
            out.println("rejected: " + e.status() + " " + e.code() + ": " + e.getMessage());
            return 1;
        }
    }

    /** hookhub.http.max-body-bytes as the hub resolves it (jar defaults, ./application.properties, environment). */
    private static long maxBodyBytes() {
        try (CliSettings settings = CliSettings.load()) {
            return new hookhub.config.SettingsReader(settings.settings()).http().maxBodyBytes();
        }
    }

    /** The hub's edge refuses a larger body before any route sees it, with the same status and code. */
    static void rejectOversizeBody(RawHttpRequest raw, long maxBodyBytes) {
        if (raw.body().length > maxBodyBytes) {
            throw RequestRejected.bodyTooLarge(maxBodyBytes);
        }
    }

    private static List<Event> decode(RawHttpRequest raw, SourceSpec spec) {
        // the hub routes only /webhooks/<source> and paths below it here; anything else is its edge's 404
        if (!raw.path().startsWith("/webhooks/" + spec.source())) {
            throw new RequestRejected(404, "unknown_source", "no source is configured at " + raw.path());
        }
        // a fixed demonstration key: hashed fields show their shape, not the hub's real hashes
        RequestDecoder.Context context = new RequestDecoder.Context(java.util.List.of(),
                new hookhub.security.PiiProtection("hookhub-try".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return RequestDecoder.decode(raw.toIncoming("127.0.0.1", System.currentTimeMillis()), spec, context);
    }

    private static void print(Event event, int n, int of, PrintStream out) {
        out.println("event " + n + " of " + of);
        out.println("id: " + event.id());
        try {
            JsonNode warnings = JsonBodyDecoder.mapper().readTree(event.lineText()).path("meta").path("warnings");
            out.println(warnings.isEmpty() ? "warnings: none" : "warnings:");
            warnings.forEach(w -> out.println("  - " + w.asText()));
            out.println("record:");
            out.println(pretty(event.lineText()));
        } catch (IOException e) {
            throw new IllegalStateException("the hub wrote a record that is not JSON: " + event.lineText(), e);
        }
    }

    /** Indented, token by token: numbers keep their exact text (12000.50 stays 12000.50), as the stored line has it. */
    private static String pretty(String line) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonParser p = JSON.createParser(line); JsonGenerator g = JSON.createGenerator(text).useDefaultPrettyPrinter()) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t.isNumeric()) {
                    g.writeNumber(p.getText());
                } else {
                    g.copyCurrentEvent(p);
                }
            }
        }
        return text.toString();
    }
}
