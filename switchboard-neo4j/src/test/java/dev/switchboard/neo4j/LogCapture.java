package dev.switchboard.neo4j;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Everything the store and the driver log while an action runs, at every level, kept from the console: their loggers
 * are opened up to TRACE and the console appender is detached for the duration.
 */
final class LogCapture {
    private LogCapture() {}

    interface Action {
        void run() throws Exception;
    }

    static List<ILoggingEvent> capture(Action action) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Map<Logger, Level> levels = new LinkedHashMap<>();
        for (String name : List.of("dev.switchboard", "org.neo4j.driver")) {
            Logger logger = context.getLogger(name);
            levels.put(logger, logger.getLevel());
            logger.setLevel(Level.TRACE);
        }
        List<Appender<ILoggingEvent>> console = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(console::add);
        console.forEach(root::detachAppender);
        ListAppender<ILoggingEvent> capture = new ListAppender<>();
        capture.setContext(context);
        capture.start();
        root.addAppender(capture);
        try {
            action.run();
        } finally {
            root.detachAppender(capture);
            console.forEach(root::addAppender);
            levels.forEach(Logger::setLevel);
        }
        return List.copyOf(capture.list);
    }
}
