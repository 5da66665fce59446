package io.syncline.cli;

import java.nio.file.Path;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Logging for the CLI process: the terminal shows only Syncline's own output; Kafka's, Connect's and Syncline's
 * logs go to a rolling file under the data directory ({@code up}) or nowhere (client commands, which report
 * errors themselves). {@code -Dsyncline.log.level=INFO} (e.g. in SYNCLINE_JAVA_OPTS) makes the file more detailed.
 */
public final class Logging {

    private Logging() {
    }

    /** Called first in main: our shutdown hook stops components and must still be able to log while it does. */
    static void beforeAnything() {
        System.setProperty("log4j2.shutdownHookEnabled", "false");
    }

    /** Everything at WARN and above (Syncline's own at INFO) into {@code logFile}, rolled at 20 MB, 5 files kept. */
    public static void toFile(Path logFile) {
        Level level = Level.toLevel(System.getProperty("syncline.log.level", "WARN"), Level.WARN);
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("syncline");
        b.setStatusLevel(Level.ERROR);
        b.setShutdownHook("disable");
        b.add(b.newAppender("file", "RollingFile")
                .addAttribute("fileName", logFile.toString())
                .addAttribute("filePattern", logFile + ".%i")
                .add(b.newLayout("PatternLayout").addAttribute("pattern", "%d{ISO8601} %-5level [%t] %c{1.} - %msg%n"))
                .addComponent(b.newComponent("Policies")
                        .addComponent(b.newComponent("SizeBasedTriggeringPolicy").addAttribute("size", "20MB")))
                .addComponent(b.newComponent("DefaultRolloverStrategy").addAttribute("max", "5")));
        b.add(b.newLogger("io.syncline", level.isMoreSpecificThan(Level.INFO) ? Level.INFO : level)
                .add(b.newAppenderRef("file")).addAttribute("additivity", false));
        b.add(b.newRootLogger(level).add(b.newAppenderRef("file")));
        Configurator.reconfigure(b.build());
    }

    /** No log output at all: client commands print their own errors. */
    public static void off() {
        Configurator.setRootLevel(Level.OFF);
    }

    /** Flushes and closes log files; the last step of a shutdown. */
    public static void shutdown() {
        LogManager.shutdown();
    }
}
