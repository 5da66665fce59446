package io.syncline.connect.http.crm;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRM contact sink under the class name it had while it shipped in the HTTP sink's plugin: kept so that a
 * connector config naming {@code io.syncline.connect.http.crm.CrmContactSinkConnector} keeps working after the CRM sink
 * moved to its own plugin. It is the same sink; starting it logs a warning that names the class to use instead.
 *
 * @deprecated set {@code connector.class} to {@link io.syncline.connect.crm.CrmContactSinkConnector}
 */
@Deprecated
public class CrmContactSinkConnector extends io.syncline.connect.crm.CrmContactSinkConnector {
    private static final Logger LOG = LoggerFactory.getLogger(CrmContactSinkConnector.class);

    /** What a config with the old class name is told (a constant so the test checks the exact words). */
    static final String WARNING = "connector {}: connector.class " + CrmContactSinkConnector.class.getName()
            + " is deprecated and will be removed; set connector.class to "
            + io.syncline.connect.crm.CrmContactSinkConnector.class.getName() + " (same sink, same keys)";

    /** Checks the config like the sink it stands for, after warning that the class name is deprecated. */
    @Override
    protected void check(Map<String, String> props) {
        LOG.warn(WARNING, props.getOrDefault("name", "(unnamed)"));
        super.check(props);
    }
}
