package io.syncline.archfixture.syncline_connect_payments;

import io.syncline.http.SynclineHttpClient;

/** A plugin class that imports a library every plugin may bundle: the rules must let it pass. */
public class ImportsTheHttpLibrary {

    SynclineHttpClient client;
}
