import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Counts what the lake holds after a benchmark run (JDK 17 single-file program, no dependencies):
 *
 * <pre>java bench/LakeCheck.java LAKE_DIR EXPECTED_FILE</pre>
 *
 * LAKE_DIR: every {@code **}{@code /*.ndjson.gz} under it (hidden {@code .part-*.tmp} files are not complete files
 * and are skipped). EXPECTED_FILE: one line per wrk thread of every run against this store, {@code TAG TID N}: the
 * thread generated the distinct events {@code TAG-t<TID>-1 .. TAG-t<TID>-N} (bench/workload.lua puts that token into
 * the field the route's dedup key uses: appsflyer_id, abx:order_id or call_id).
 *
 * <p>Prints one line: {@code LAKE files= lines= distinct_ids= duplicate_lines= tokens= expected= missing= unexpected=}.
 * duplicate_lines counts lines whose (source, id) was already seen, or whose token was already seen under another id:
 * both are doubled events. missing = generated tokens not in the lake (bench/run.sh allows at most the requests still
 * in flight when wrk stopped, which were never acknowledged); unexpected = tokens no thread generated.
 */
public final class LakeCheck {

    private static final Pattern ID = Pattern.compile("^\\{\"id\":\"([^\"]*)\",\"source\":\"([^\"]*)\"");
    private static final Pattern TOKEN = Pattern.compile("\"(?:appsflyer_id|abx:order_id|call_id)\":\"([A-Za-z0-9_.]+-t\\d+-\\d+)\"");

    public static void main(String[] args) throws IOException {
        Path lake = Path.of(args[0]);
        Map<String, Long> expected = new HashMap<>(); // "TAG-tTID" -> N
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                expected.merge(f[0] + "-t" + f[1], Long.parseLong(f[2]), Long::sum);
            }
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(lake)) {
            try (Stream<Path> s = Files.walk(lake)) {
                s.filter(p -> p.getFileName().toString().endsWith(".ndjson.gz") && !p.getFileName().toString().startsWith("."))
                        .forEach(files::add);
            }
        }
        Set<String> ids = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        long lines = 0, duplicates = 0, noToken = 0, unexpected = 0;
        for (Path f : files) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(f), 65536),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    lines++;
                    Matcher m = ID.matcher(line);
                    String key = m.find() ? m.group(2) + "/" + m.group(1) : "?" + lines;
                    boolean newId = ids.add(key);
                    Matcher t = TOKEN.matcher(line);
                    if (!t.find()) {
                        noToken++;
                        if (!newId) duplicates++;
                        continue;
                    }
                    String token = t.group(1);
                    boolean newToken = tokens.add(token);
                    if (!newId || !newToken) {
                        duplicates++;
                        continue;
                    }
                    int dash = token.lastIndexOf('-');
                    Long n = expected.get(token.substring(0, dash));
                    long k = Long.parseLong(token.substring(dash + 1));
                    if (n == null || k < 1 || k > n) {
                        unexpected++;
                    }
                }
            }
        }
        long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();
        long found = tokens.size() - unexpected;
        System.out.printf("LAKE files=%d lines=%d distinct_ids=%d duplicate_lines=%d tokens=%d no_token=%d expected=%d "
                        + "missing=%d unexpected=%d%n",
                files.size(), lines, ids.size(), duplicates, tokens.size(), noToken, expectedTotal, expectedTotal - found, unexpected);
    }
}
