package io.syncline.archfixture.syncline_connect_payments;

import io.syncline.gateway.WebhookGateway;

/** A plugin class that imports a role: the wrong import ArchitectureRulesTest shows the rules refuse. */
public class ImportsTheGateway {

    WebhookGateway gateway;
}
