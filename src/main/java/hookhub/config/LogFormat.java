package hookhub.config;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * hookhub.log.format: "plain" (default) or "json" (one ECS-style JSON object per line for log shippers). Both
 * appenders are declared in log4j2.properties; this points the root logger at the chosen one.
 */
final class LogFormat {

    private LogFormat() {
    }

    static void apply(String format) {
        String name = format == null || format.isBlank() ? "plain" : format.trim().toLowerCase();
        if (!name.equals("plain") && !name.equals("json")) {
            throw new IllegalArgumentException("hookhub.log.format must be plain or json, got '" + format + "'");
        }
        if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
            return; // another logging backend (tests may use one): leave it alone
        }
        Appender chosen = ctx.getConfiguration().getAppender(name);
        if (chosen == null) {
            return;
        }
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        for (String other : new String[] {"plain", "json"}) {
            root.removeAppender(other);
        }
        root.addAppender(chosen, Level.ALL, null);
        ctx.updateLoggers();
    }
}
