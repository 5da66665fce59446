package io.syncline.http;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Captures everything a logger tree writes at DEBUG and above, for asserting what must never be logged. */
final class LogCapture implements AutoCloseable {
    private final String loggerName;
    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;

    LogCapture(String loggerName) {
        this.loggerName = loggerName;
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = WriterAppender.newBuilder().setName("capture-" + loggerName).setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %logger{1} %msg %ex%n").build()).build();
        appender.start();
        config.addAppender(appender);
        Configurator.setLevel(loggerName, Level.DEBUG);
        LoggerConfig logger = config.getLoggerConfig(loggerName);
        logger.setAdditive(false);
        logger.addAppender(appender, Level.DEBUG, null);
        context.updateLoggers();
    }

    String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getLoggerConfig(loggerName).removeAppender(appender.getName());
        Configurator.setLevel(loggerName, Level.ERROR);
        appender.stop();
        context.updateLoggers();
    }
}
