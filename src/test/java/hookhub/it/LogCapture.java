package hookhub.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects every log line the hub writes while it is attached, to assert on what operators would see. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture", null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogCapture attach() {
        LogCapture c = new LogCapture();
        c.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().addAppender(c, org.apache.logging.log4j.Level.ALL, null);
        ctx.getConfiguration().getRootLogger().setLevel(org.apache.logging.log4j.Level.INFO);
        ctx.updateLoggers();
        return c;
    }

    @Override
    public void append(LogEvent event) {
        String line = event.getLevel() + " " + event.getLoggerName() + " " + event.getMessage().getFormattedMessage();
        if (event.getThrown() != null) {
            line += " | " + event.getThrown();
            for (Throwable t = event.getThrown().getCause(); t != null; t = t.getCause()) {
                line += " | " + t;
            }
        }
        lines.add(line);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String all() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(getName());
        ctx.updateLoggers();
        stop();
    }
}
