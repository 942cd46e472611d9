package hookhub.cli;

import hookhub.config.RouteProblem;
import hookhub.config.RouteValidator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code java -jar hookhub.jar validate [files…]} checks route files the way the hub would load them, without
 * starting it: by default every *.yaml in the routes directory (hookhub.routes.dir, from the same settings as the
 * hub), so CI or an integrator can catch a broken file before the running hub's reload meets it.
 */
public final class ValidateCommand {

    private static final String USAGE = "usage: validate [route-file.yaml ...]   (default: every *.yaml in hookhub.routes.dir)";

    private ValidateCommand() {
    }

    /** Exit code: 0 all files OK, 1 problems found, 2 usage error (unknown option, missing file or directory). */
    public static int run(List<String> args, PrintStream out) {
        List<String> names = args.subList(1, args.size());
        if (names.stream().anyMatch(a -> a.startsWith("-"))) {
            out.println(USAGE);
            return 2;
        }
        List<Path> files;
        if (names.isEmpty()) {
            Path dir = routesDir();
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
            } catch (IOException e) {
                out.println("cannot list the routes directory " + dir + " (hookhub.routes.dir): " + e);
                return 2;
            }
            if (files.isEmpty()) {
                out.println("no route files (*.yaml) in " + dir);
                return 2;
            }
        } else {
            files = names.stream().map(Path::of).toList();
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    out.println("no such file: " + f);
                    return 2;
                }
            }
        }
        List<RouteProblem> problems = RouteValidator.validateAll(files);
        problems.forEach(out::println);
        long bad = problems.stream().map(RouteProblem::file).distinct().count();
        out.println(problems.isEmpty()
                ? plural(files.size(), "route file") + " OK"
                : plural(problems.size(), "problem") + " in " + bad + " of " + plural(files.size(), "route file"));
        return problems.isEmpty() ? 0 : 1;
    }

    /** The directory the hub loads route files from. */
    private static Path routesDir() {
        // not closed on purpose: the settings context was never started, and stopping it would log Camel's
        // shutdown lines into this command's output
        CliSettings cli = CliSettings.load();
        return Path.of(cli.settings().string("hookhub.routes.dir"));
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
