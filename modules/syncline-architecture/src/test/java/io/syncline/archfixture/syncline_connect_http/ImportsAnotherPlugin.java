package io.syncline.archfixture.syncline_connect_http;

import io.syncline.connect.payments.PaymentsSourceConnector;

/** A plugin class that imports another plugin: each plugin archive must run alone. */
public class ImportsAnotherPlugin {

    PaymentsSourceConnector other;
}
