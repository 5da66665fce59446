package io.syncline.connect.http.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.LoggerFactory;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CRM sink's class name from before the split still starts the sink, and warns naming the class to use. */
@SuppressWarnings("deprecation")
class DeprecatedCrmClassNameTest {

    private static final String LOGGER = CrmContactSinkConnector.class.getName();

    private final StringWriter log = new StringWriter();
    private WriterAppender appender;

    @BeforeEach
    void captureWarnings() {
        // Bind SLF4J before the capture is set up: when the connector's class was the first to bind it, its warning
        // reliably missed the capture.
        LoggerFactory.getILoggerFactory();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = WriterAppender.newBuilder().setName("deprecation-capture").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %msg%n").build()).build();
        appender.start();
        config.addAppender(appender);
        Configurator.setLevel(LOGGER, Level.WARN);
        LoggerConfig logger = config.getLoggerConfig(LOGGER);
        logger.setAdditive(false);
        logger.addAppender(appender, Level.WARN, null);
        context.updateLoggers();
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getLoggerConfig(LOGGER).removeAppender(appender.getName());
        Configurator.setLevel(LOGGER, Level.ERROR);
        appender.stop();
        context.updateLoggers();
    }

    private static Map<String, String> valid() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", "contacts-from-last-year");
        c.put("crm.url", "http://127.0.0.1:9");
        c.put("outbound.allow.list", "127.0.0.1:9");
        c.put("outbound.allow.plain.http", "127.0.0.1:9");
        c.put("auth.type", "bearer");
        c.put("auth.bearer.token", "pat-test");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", "dlq.sink.contacts");
        return c;
    }

    @Test
    void startingUnderTheOldNameRunsTheSameSinkAndWarnsNamingTheNewClass() {
        CrmContactSinkConnector old = new CrmContactSinkConnector();
        old.start(valid());

        assertThat(old).isInstanceOf(io.syncline.connect.crm.CrmContactSinkConnector.class);
        assertThat(old.taskClass()).isEqualTo(io.syncline.connect.crm.CrmContactSinkTask.class);
        assertThat(old.config().names())
                .isEqualTo(new io.syncline.connect.crm.CrmContactSinkConnector().config().names());
        assertThat(old.taskConfigs(3)).as("stateless tasks: tasks.max is honoured").hasSize(3);
        assertThat(log.toString()).contains("WARN connector contacts-from-last-year: connector.class "
                + "io.syncline.connect.http.crm.CrmContactSinkConnector is deprecated and will be removed; set "
                + "connector.class to io.syncline.connect.crm.CrmContactSinkConnector");
    }

    @Test
    void anInvalidConfigUnderTheOldNameIsRefusedAsUnderTheNewOne() {
        Map<String, String> noToken = valid();
        noToken.remove("auth.bearer.token");

        assertThatThrownBy(() -> new CrmContactSinkConnector().start(noToken)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.bearer.token is required when auth.type=bearer");
    }
}
