package io.syncline.archfixture.syncline_normalizer;

import io.syncline.cli.SynclineCli;

/** A domain-module class that imports the CLI, which wraps domain modules and never the other way round. */
public class ImportsTheCli {

    SynclineCli cli;
}
