package io.syncline.archfixture.syncline_gateway;

import io.syncline.sandbox.payments.PaymentsSandbox;

/** A domain-module class that imports the sandbox: product code never calls the provider simulators. */
public class ImportsTheSandbox {

    PaymentsSandbox sandbox;
}
